package org.coea.common.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.sequence.SequenceRules.Click;
import org.junit.jupiter.api.Test;

class SequenceRulesTest {
    static Click c(long ts, long item, double strength, int... cats) {
        return new Click(ts, item, strength, cats);
    }

    static final List<Click> CLICKS =
            List.of(
                    c(50, 5, 1, 3),
                    c(10, 1, 5, 0, 2),
                    c(20, 2, 1, 1),
                    c(30, 3, 4, 2),
                    c(30, 4, 2, 7),
                    c(40, 6, 3, 2, 5));

    @Test
    void longTermKeepsStrengthAtLeastTauInTimeOrderAndCapsToTheMostRecent() {
        // Time order (ties by item): 1(5) 2(1) 3(4) 4(2) 6(3) 5(1); tau = 2 keeps 1, 3, 4, 6.
        SequenceRules.Outcome o = new SequenceRules(2, 10, 3, 1).build(CLICKS);
        assertThat(o.sequence().orElseThrow().longItems()).containsExactly(1, 3, 4, 6);
        assertThat(new SequenceRules(2, 3, 3, 1).build(CLICKS).sequence().orElseThrow().longItems())
                .containsExactly(3, 4, 6);
        assertThat(
                        new SequenceRules(1, 10, 3, 1)
                                .build(CLICKS)
                                .sequence()
                                .orElseThrow()
                                .longItems())
                .containsExactly(1, 2, 3, 4, 6, 5);
        assertThat(o.clicks()).isEqualTo(6);
    }

    @Test
    void shortTermIsTheLastNClicksWithOrderedDistinctCategories() {
        // Last 3 clicks: 4 (7), 6 (2, 5), 5 (3).
        SequenceRules.UserSequence s =
                new SequenceRules(2, 10, 3, 1).build(CLICKS).sequence().orElseThrow();
        assertThat(s.shortItems()).containsExactly(4, 6, 5);
        assertThat(s.shortCategories()).containsExactly(7, 2, 5, 3);
        assertThat(s.shortSet()).containsExactly(2, 3, 5, 7);
        assertThat(s.shortHash()).isEqualTo(CategorySetHash.hex(List.of(7, 5, 3, 2)));
        // A repeated category keeps its first position.
        SequenceRules.UserSequence t =
                new SequenceRules(0, 10, 4, 1).build(CLICKS).sequence().orElseThrow();
        assertThat(t.shortCategories()).containsExactly(2, 7, 5, 3);
    }

    @Test
    void tooShortHistoriesAreReportedWithTheReason() {
        SequenceRules.Outcome o = new SequenceRules(4, 10, 3, 3).build(CLICKS);
        assertThat(o.sequence()).isEmpty();
        assertThat(o.longLength()).isEqualTo(2);
        assertThat(o.reason()).contains("2 clicks", ">= 4.0", "shorter than 3");
    }
}
