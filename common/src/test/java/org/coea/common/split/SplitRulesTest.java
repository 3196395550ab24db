package org.coea.common.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitRulesTest {

    @Test
    void perUserSplitTakesLastTwentyAndTenPercent() {
        PerUserSplit split = new PerUserSplit(0.2, 0.1);
        List<SplitPart> parts = new ArrayList<>();
        for (int p = 1; p <= 10; p++) {
            parts.add(split.part(p, 10));
        }
        assertThat(parts)
                .containsExactly(
                        SplitPart.TRAIN,
                        SplitPart.TRAIN,
                        SplitPart.TRAIN,
                        SplitPart.TRAIN,
                        SplitPart.TRAIN,
                        SplitPart.TRAIN,
                        SplitPart.TRAIN,
                        SplitPart.VALID,
                        SplitPart.TEST,
                        SplitPart.TEST);
        // 4 clicks: floor(0.8) = 0 test, floor(0.4) = 0 valid.
        assertThat(split.part(4, 4)).isEqualTo(SplitPart.TRAIN);
        // 5 clicks: 1 test, 0 valid.
        assertThat(split.part(5, 5)).isEqualTo(SplitPart.TEST);
        assertThat(split.part(4, 5)).isEqualTo(SplitPart.TRAIN);
        // Floating error does not lose a click: 0.1 * 30 = 3.0000000000000004 and 0.2 * 15 = 3.
        assertThat(split.validCount(30)).isEqualTo(3);
        assertThat(split.testCount(15)).isEqualTo(3);
        assertThatThrownBy(() -> split.part(0, 3)).hasMessageContaining("position 0");
        assertThatThrownBy(() -> new PerUserSplit(0.6, 0.4))
                .hasMessageContaining("test + valid < 1");
    }

    @Test
    void perUserCountsAddUpForEveryLength() {
        PerUserSplit split = new PerUserSplit(0.2, 0.1);
        for (int n = 1; n <= 200; n++) {
            int[] count = new int[3];
            for (int p = 1; p <= n; p++) {
                count[split.part(p, n).ordinal()]++;
            }
            assertThat(count[2]).isEqualTo(n / 5);
            assertThat(count[1]).isEqualTo(n / 10);
            assertThat(count[0] + count[1] + count[2]).isEqualTo(n);
        }
    }

    @Test
    void daySplitCutsLastDays() {
        DaySplit split = new DaySplit(2, 3);
        long[] b = split.boundaries(100, 124); // 25 days, like MTRec: 20 train, 3 valid, 2 test
        assertThat(b).containsExactly(123, 120);
        assertThat(DaySplit.part(124, b[0], b[1])).isEqualTo(SplitPart.TEST);
        assertThat(DaySplit.part(123, b[0], b[1])).isEqualTo(SplitPart.TEST);
        assertThat(DaySplit.part(122, b[0], b[1])).isEqualTo(SplitPart.VALID);
        assertThat(DaySplit.part(120, b[0], b[1])).isEqualTo(SplitPart.VALID);
        assertThat(DaySplit.part(119, b[0], b[1])).isEqualTo(SplitPart.TRAIN);
        assertThat(DaySplit.day(86_399)).isZero();
        assertThat(DaySplit.day(86_400)).isEqualTo(1);
        assertThatThrownBy(() -> split.boundaries(0, 4)).hasMessageContaining("covers 5 days");
    }

    @Test
    void longTailIsBottomShareByVolume() {
        long[] volumes = {50, 3, 40, 3, 10, 7, 100, 1, 20, 30};
        boolean[] flags = LongTail.flags(volumes, 0.2);
        // 10 categories -> 2 long-tail: volume 1 (id 7), then volume 3 with the lower id (id 1).
        assertThat(flags)
                .containsExactly(
                        false, true, false, false, false, false, false, true, false, false);
        assertThat(LongTail.flags(new long[18], 0.2))
                .satisfies(
                        f -> {
                            int c = 0;
                            for (boolean x : f) {
                                c += x ? 1 : 0;
                            }
                            assertThat(c).isEqualTo(3);
                        });
        assertThatThrownBy(() -> LongTail.flags(volumes, 1.5)).hasMessageContaining("1.5");
    }
}
