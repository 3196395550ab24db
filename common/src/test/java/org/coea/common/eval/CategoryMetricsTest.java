package org.coea.common.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-computed examples. R = [3, 1, 7, 2, 9], P = {1, 2, 5}, H = {1, 3}, S = {3}, LT = {7, 9}. */
class CategoryMetricsTest {
    static final List<Integer> R = List.of(3, 1, 7, 2, 9);
    static final Set<Integer> P = Set.of(1, 2, 5);
    static final Set<Integer> H = Set.of(1, 3);
    static final Set<Integer> S = Set.of(3);
    static final Set<Integer> LT = Set.of(7, 9);

    @Test
    void hitsCountClickedCategoriesOverK() {
        assertThat(CategoryMetrics.hits(R, P, 1)).isEqualTo(0.0);
        assertThat(CategoryMetrics.hits(R, P, 5)).isEqualTo(0.4);
        // five places, K = 10: the missing ones are misses
        assertThat(CategoryMetrics.hits(R, P, 10)).isEqualTo(0.2);
    }

    @Test
    void ndcgDiscountsByLog2OfRankPlusOne() {
        // DCG@5 = 1/log2(3) + 1/log2(5) = 1.0616064; IDCG@5 (3 clicked) = 1 + 1/log2(3) + 1/2
        assertThat(CategoryMetrics.ndcg(R, P, 5)).isCloseTo(1.0616064 / 2.1309298, within(1e-6));
        assertThat(CategoryMetrics.ndcg(R, P, 1)).isEqualTo(0.0);
        assertThat(CategoryMetrics.ndcg(List.of(1, 2, 5), P, 3)).isCloseTo(1.0, within(1e-12));
        assertThat(CategoryMetrics.ndcg(R, Set.of(), 5)).isEqualTo(0.0);
    }

    @Test
    void noveltyLongTailAndSerendipitousHits() {
        assertThat(CategoryMetrics.novelty(R, H, 1)).isEqualTo(0.0);
        assertThat(CategoryMetrics.novelty(R, H, 5)).isEqualTo(0.6);
        assertThat(CategoryMetrics.longTail(R, LT, 5)).isEqualTo(0.4);
        assertThat(CategoryMetrics.longTail(R, LT, 10)).isEqualTo(0.2);
        assertThat(CategoryMetrics.serendipitousHits(R, S, P, 1)).isEqualTo(0.0);
        assertThat(CategoryMetrics.serendipitousHits(R, S, P, 5)).isEqualTo(0.4);
        // a clicked category inside the short-term set is a hit but not a serendipitous one
        assertThat(CategoryMetrics.hits(List.of(3), Set.of(3), 1)).isEqualTo(1.0);
        assertThat(CategoryMetrics.serendipitousHits(List.of(3), S, Set.of(3), 1)).isEqualTo(0.0);
        assertThatThrownBy(() -> CategoryMetrics.hits(R, P, 0))
                .hasMessageContaining("K must be positive");
    }

    @Test
    void completionAddsPopularCategoriesOutsideTheShortTermSet() {
        assertThat(CategoryMetrics.complete(List.of(4), List.of(3, 4, 5, 6, 8), Set.of(3), 3))
                .containsExactly(4, 5, 6);
        assertThat(CategoryMetrics.complete(List.of(9, 9, 8, 7), List.of(1), Set.of(), 2))
                .containsExactly(9, 8);
        assertThat(CategoryMetrics.complete(List.of(), List.of(1, 2), Set.of(1, 2), 3)).isEmpty();
    }

    @Test
    void accumulatorAveragesOverUsersAndMergesWithCoverage() {
        MetricsAccumulator a = new MetricsAccumulator(10).add(R, P, H, S, LT);
        MetricsAccumulator b =
                new MetricsAccumulator(10)
                        .add(List.of(5, 0), Set.of(5), Set.of(), Set.of(), Set.of(0));
        Map<String, Double> m = a.merge(b).means();
        assertThat(a.users()).isEqualTo(2);
        // user 1: C-H@1 0, user 2: 1 -> 0.5; NCP@5: 0.6 and 2/5 -> 0.5
        assertThat(m.get("C-H@1")).isEqualTo(0.5);
        assertThat(m.get("NCP@5")).isCloseTo(0.5, within(1e-12));
        assertThat(m.get("CLTP@5")).isCloseTo((0.4 + 0.2) / 2, within(1e-12));
        assertThat(m.get("S-H@5")).isCloseTo((0.4 + 0.2) / 2, within(1e-12));
        // top 1 covers {3, 5}; top 5 and 10 cover {3, 1, 7, 2, 9, 5, 0}
        assertThat(m.get("Coverage@1")).isEqualTo(0.2);
        assertThat(m.get("Coverage@5")).isEqualTo(0.7);
        assertThat(m).containsKeys("C-N@10", "Coverage@10").hasSize(18);
        assertThat(new MetricsAccumulator(3).means().get("C-H@1")).isNaN();
    }
}
