package org.coea.common.exposure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.coea.common.exposure.NewItemExposure.DayFigure;
import org.coea.common.exposure.NewItemExposure.Exposure;
import org.junit.jupiter.api.Test;

class NewItemExposureTest {
    private static final long DAY = 86_400L;

    private static Exposure at(long item, long day) {
        return new Exposure(item, day * DAY + 3_600);
    }

    @Test
    void handComputedDays() {
        // day 0: items 1, 1, 2 -> all new (3/3)
        // day 3: items 1, 3    -> 1 seen on day 0 (within 7), 3 new -> 1/2
        // day 8: items 1, 2, 2 -> 1 seen on day 3 (within 7); 2 last seen day 0 (8 days ago) -> 2/3
        // day 10: item 4       -> new (1/1)
        List<DayFigure> figures =
                NewItemExposure.compute(
                        List.of(
                                at(1, 0), at(1, 0), at(2, 0), at(3, 3), at(1, 3), at(2, 8),
                                at(1, 8), at(2, 8), at(4, 10)));
        assertThat(figures)
                .containsExactly(
                        new DayFigure(0, 3, 3),
                        new DayFigure(3, 2, 1),
                        new DayFigure(8, 3, 2),
                        new DayFigure(10, 1, 1));
        assertThat(figures.get(2).niep()).isEqualTo(2.0 / 3.0);
    }

    @Test
    void exactlySevenDaysBackStillCounts() {
        assertThat(NewItemExposure.isNew(List.of(3L), 10)).isFalse();
        assertThat(NewItemExposure.isNew(List.of(2L), 10)).isTrue();
        assertThat(NewItemExposure.isNew(List.of(10L, 11L), 10)).isTrue();
    }

    @Test
    void daysAreUtcAndNegativeTimesFloor() {
        assertThat(NewItemExposure.day(DAY - 1)).isZero();
        assertThat(NewItemExposure.day(DAY)).isEqualTo(1);
        assertThat(NewItemExposure.day(-1)).isEqualTo(-1);
    }

    @Test
    void rejectsInconsistentCounts() {
        assertThatThrownBy(() -> new DayFigure(1, 2, 3)).hasMessageContaining("3 of 2");
        assertThat(new DayFigure(1, 0, 0).niep()).isZero();
    }
}
