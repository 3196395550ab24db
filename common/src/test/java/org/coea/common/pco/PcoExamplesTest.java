package org.coea.common.pco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coea.common.pco.PcoExamples.Event;
import org.coea.common.pco.PcoExamples.NoveltyExample;
import org.coea.common.pco.PcoExamples.RelevancePair;
import org.junit.jupiter.api.Test;

class PcoExamplesTest {
    private static Event e(long ts, int... cats) {
        return new Event(ts, cats);
    }

    // Clicks (n = 3): t1 {0}, t2 {1, 0}, t3 {2}, t4 {0}, t5 {3, 1}
    private static final List<Event> CLICKS =
            List.of(e(1, 0), e(2, 1, 0), e(3, 2), e(4, 0), e(5, 3, 1));

    @Test
    void noveltyTargetsAreFirstEverCategoriesWithTheWindowBeforeThem() {
        List<NoveltyExample> got = new PcoExamples(3).novelty(CLICKS);
        // click 1 brings 1 (prompt: the n-1 = 2 clicks before it, only click 0 -> [0]);
        // click 2 brings 2 (window clicks 0..1: 0, then 1, 0 -> last-appearance order [1, 0]);
        // click 4 brings 3 (window clicks 2..3 -> [2, 0]); 1 was seen before, so it is no target.
        assertThat(got).hasSize(3);
        assertThat(got.get(0).position()).isEqualTo(1);
        assertThat(got.get(0).recent()).containsExactly(0);
        assertThat(got.get(0).target()).isEqualTo(1);
        assertThat(got.get(1).recent()).containsExactly(1, 0);
        assertThat(got.get(1).target()).isEqualTo(2);
        assertThat(got.get(2).position()).isEqualTo(4);
        assertThat(got.get(2).recent()).containsExactly(2, 0);
        assertThat(got.get(2).target()).isEqualTo(3);
    }

    @Test
    void recentOrdersByLastAppearance() {
        assertThat(PcoExamples.recent(CLICKS, 0, 4)).containsExactly(1, 2, 0);
    }

    @Test
    void relevancePositivesAreNextClicksOutsideTheWindow() {
        long[] popularity = {10, 10, 10, 10, 0};
        List<RelevancePair> got = new PcoExamples(3).relevance(CLICKS, List.of(), popularity, 7, 1);
        // j=1: window {0}, next {1, 0} -> positive 1; negative from {2, 3} (4 has no volume)
        // j=2: window {0, 1}, next {2} -> positive 2; negative 3 is the only one left
        // j=3: window {0, 1, 2}, next {0} -> none
        // j=4: window clicks 1..3 = {1, 0, 2}, next {3, 1} -> positive 3; no category left
        assertThat(got).extracting(RelevancePair::positive).containsExactly(1, 2);
        assertThat(got.get(0).negative()).isIn(2, 3);
        assertThat(got.get(1).negative()).isEqualTo(3);
        assertThat(got).noneMatch(RelevancePair::fromExposure);
        assertThat(got.get(1).recent()).containsExactly(1, 0);
    }

    @Test
    void exposuresInTheWindowGiveTheNegatives() {
        long[] popularity = {10, 10, 10, 10, 10};
        // exposure at t=2 of category 4 (not clicked): the negative of j=1 and j=2 (window start
        // t=1); an exposure at t=9 is after every click and never used.
        List<Event> shown = List.of(e(9, 2), e(2, 4, 0));
        List<RelevancePair> got = new PcoExamples(3).relevance(CLICKS, shown, popularity, 7, 1);
        assertThat(got.get(0).negative()).isEqualTo(4);
        assertThat(got.get(0).fromExposure()).isTrue();
        assertThat(got.get(1).negative()).isEqualTo(4);
    }

    @Test
    void popularityDrawsFollowTheVolumes() {
        long[] popularity = {0, 1, 3, 0};
        Map<Integer, Integer> counts = new HashMap<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 40_000; i++) {
            counts.merge(
                    PcoExamples.byPopularity(popularity, java.util.Set.of(), r), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(1, 2);
        assertThat(counts.get(2) / 40_000.0).isBetween(0.74, 0.76);
        assertThat(PcoExamples.byPopularity(popularity, java.util.Set.of(1, 2), r)).isEqualTo(-1);
    }

    @Test
    void drawsDoNotDependOnOtherUsers() {
        long[] popularity = {5, 5, 5, 5, 5, 5, 5, 5};
        PcoExamples x = new PcoExamples(3);
        List<RelevancePair> a = x.relevance(CLICKS, List.of(), popularity, 11, 42);
        List<RelevancePair> b = x.relevance(CLICKS, List.of(), popularity, 11, 42);
        assertThat(a).usingRecursiveFieldByFieldElementComparator().isEqualTo(b);
        List<Integer> negatives = new ArrayList<>();
        for (long user = 0; user < 50; user++) {
            negatives.add(x.relevance(CLICKS, List.of(), popularity, 11, user).get(0).negative());
        }
        assertThat(negatives.stream().distinct().count()).isGreaterThan(2);
    }

    @Test
    void behaviourIsOneUnitPerClickAfterTheFirst() {
        List<PcoExamples.Behaviour> got = new PcoExamples(3).behaviour(CLICKS);
        assertThat(got).hasSize(4);
        assertThat(got.get(3).recent()).containsExactly(1, 2, 0);
        assertThat(got.get(3).clicked()).containsExactly(3);
        assertThat(got.get(2).clicked()).isEmpty();
    }

    @Test
    void cycleSampleKeepsAboutRhoAndDiffersPerCycle() {
        int kept1 = 0;
        int both = 0;
        for (int u = 0; u < 200_000; u++) {
            boolean a = CycleSample.keep(5, 1, u, u % 17, 0.01);
            boolean b = CycleSample.keep(5, 2, u, u % 17, 0.01);
            kept1 += a ? 1 : 0;
            both += a && b ? 1 : 0;
        }
        assertThat(kept1 / 200_000.0).isBetween(0.009, 0.011);
        assertThat(both).isLessThan(60); // independent cycles: about 200000 * 1e-4 = 20
        assertThatThrownBy(() -> CycleSample.keep(5, 1, 1, 1, 0))
                .hasMessageContaining("sample rate");
    }

    @Test
    void rejectsATooShortWindow() {
        assertThatThrownBy(() -> new PcoExamples(1)).hasMessageContaining(">= 2");
    }
}
