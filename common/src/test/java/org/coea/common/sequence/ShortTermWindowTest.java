package org.coea.common.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.sequence.ShortTermWindow.Click;
import org.coea.common.sequence.ShortTermWindow.Insert;
import org.junit.jupiter.api.Test;

class ShortTermWindowTest {

    private static Click click(long ts, long item, int... cats) {
        return new Click(ts, item, cats);
    }

    @Test
    void categoriesAreOrderedByFirstAppearanceAndTheSetIsSorted() {
        List<Click> window = List.of(click(1, 10, 5, 2), click(2, 11, 2, 7), click(3, 12, 1));
        ShortTermWindow.Categories c = ShortTermWindow.categories(window);
        assertThat(c.categories()).containsExactly(5, 2, 7, 1);
        assertThat(c.set()).containsExactly(1, 2, 5, 7);
        assertThat(c.hash()).isEqualTo(CategorySetHash.hex(List.of(1, 2, 5, 7)));
    }

    @Test
    void lastKeepsTheNewestClicksByTimestampThenItem() {
        List<Click> clicks =
                List.of(click(5, 1, 1), click(3, 9, 2), click(5, 0, 3), click(1, 4, 4));
        assertThat(ShortTermWindow.last(clicks, 2)).containsExactly(click(5, 0, 3), click(5, 1, 1));
        assertThat(ShortTermWindow.last(clicks, 10)).hasSize(4).first().isEqualTo(click(1, 4, 4));
    }

    @Test
    void insertHandlesOutOfOrderDuplicateAndTooOldClicks() {
        List<Click> w = new ArrayList<>();
        assertThat(ShortTermWindow.insert(w, click(10, 1, 1), 2)).isEqualTo(Insert.ADDED);
        assertThat(ShortTermWindow.insert(w, click(5, 2, 2), 2)).isEqualTo(Insert.ADDED);
        assertThat(w).containsExactly(click(5, 2, 2), click(10, 1, 1));
        assertThat(ShortTermWindow.insert(w, click(10, 1, 1), 2)).isEqualTo(Insert.DUPLICATE);
        assertThat(ShortTermWindow.insert(w, click(4, 3, 3), 2)).isEqualTo(Insert.OUTSIDE);
        assertThat(ShortTermWindow.insert(w, click(7, 4, 4), 2)).isEqualTo(Insert.ADDED);
        assertThat(w).containsExactly(click(7, 4, 4), click(10, 1, 1));
    }

    @Test
    void insertingInAnyOrderGivesTheBatchWindow() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(6);
            List<Click> distinct = new ArrayList<>();
            for (int i = 0; i < random.nextInt(25); i++) {
                Click c = click(random.nextInt(8), random.nextInt(6), random.nextInt(5));
                if (distinct.stream().noneMatch(c::sameEvent)) {
                    distinct.add(c);
                }
            }
            List<Click> arrivals = new ArrayList<>(distinct);
            // duplicates re-sent by an at-least-once producer
            for (int i = 0; i < distinct.size() / 3; i++) {
                arrivals.add(distinct.get(random.nextInt(distinct.size())));
            }
            Collections.shuffle(arrivals, random);
            List<Click> window = new ArrayList<>();
            for (Click c : arrivals) {
                ShortTermWindow.insert(window, c, n);
                assertThat(window.size()).isLessThanOrEqualTo(n);
            }
            assertThat(window)
                    .as("round %d, n=%d, arrivals %s", round, n, arrivals)
                    .isEqualTo(naiveLast(distinct, n));
        }
    }

    @Test
    void rejectsANonPositiveLength() {
        assertThatThrownBy(() -> ShortTermWindow.last(List.of(), 0))
                .hasMessageContaining("positive, got 0");
    }

    /** Selection of the n newest by repeated maximum, then reversed: no sorting code shared. */
    private static List<Click> naiveLast(List<Click> clicks, int n) {
        List<Click> rest = new ArrayList<>(clicks);
        List<Click> newest = new ArrayList<>();
        while (newest.size() < n && !rest.isEmpty()) {
            Click max = rest.get(0);
            for (Click c : rest) {
                if (c.epochSeconds() > max.epochSeconds()
                        || (c.epochSeconds() == max.epochSeconds() && c.itemId() > max.itemId())) {
                    max = c;
                }
            }
            rest.remove(max);
            newest.add(0, max);
        }
        return newest;
    }
}
