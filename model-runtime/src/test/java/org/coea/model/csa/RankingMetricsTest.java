package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    @Test
    void hitRateAndNdcgOfHandComputedRanks() {
        int[] ranks = {0, 3, 9, 10, 50};
        // hits: ranks 0, 3, 9 -> 3 of 5
        assertThat(RankingMetrics.hitRate(ranks, 10)).isEqualTo(0.6);
        // 1/log2(2) = 1, 1/log2(5) = 0.4306765581, 1/log2(11) = 0.2890648263
        assertThat(RankingMetrics.ndcg(ranks, 10))
                .isCloseTo((1 + 0.4306765581 + 0.2890648263) / 5, within(1e-9));
        assertThat(RankingMetrics.hitRate(ranks, 1)).isEqualTo(0.2);
        assertThat(RankingMetrics.ndcg(ranks, 1)).isEqualTo(0.2);
        assertThat(RankingMetrics.hitRate(ranks, 11)).isEqualTo(0.8);
        // rank 10 adds 1/log2(12) = 0.2789429456 at K = 11
        assertThat(RankingMetrics.ndcg(ranks, 11))
                .isCloseTo((1 + 0.4306765581 + 0.2890648263 + 0.2789429456) / 5, within(1e-9));
        RankingResult r = new RankingResult(ranks);
        assertThat(r.users()).isEqualTo(5);
        assertThat(r.hitRate(10)).isEqualTo(0.6);
        assertThat(r.toString()).contains("HR@10=0.6000");
    }

    @Test
    void rankCountsStrictlyHigherNegatives() {
        assertThat(RankingMetrics.rank(0.5, new double[] {0.1, 0.9, 0.5, 0.7, 0.2})).isEqualTo(2);
        assertThat(RankingMetrics.rank(1.0, new double[] {0.1, 0.9})).isZero();
        assertThat(RankingMetrics.rank(-1.0, new double[] {0.1, 0.9})).isEqualTo(2);
    }

    @Test
    void rejectsEmptyRanksAndBadK() {
        assertThatThrownBy(() -> RankingMetrics.hitRate(new int[0], 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RankingMetrics.ndcg(new int[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
