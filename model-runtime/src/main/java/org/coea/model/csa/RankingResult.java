package org.coea.model.csa;

import java.util.Arrays;
import java.util.Locale;

/**
 * The held-out item's rank for every case of a leave-one-out evaluation, with the metrics over
 * them.
 *
 * @param ranks per case, the number of its negatives scored strictly above its held-out item
 */
public record RankingResult(int[] ranks) {

    /** Copies the ranks. */
    public RankingResult {
        ranks = ranks.clone();
    }

    /** The number of cases. */
    public int users() {
        return ranks.length;
    }

    /** HR@K. */
    public double hitRate(int k) {
        return RankingMetrics.hitRate(ranks, k);
    }

    /** NDCG@K. */
    public double ndcg(int k) {
        return RankingMetrics.ndcg(ranks, k);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankingResult r && Arrays.equals(ranks, r.ranks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranks);
    }

    @Override
    public String toString() {
        return ranks.length == 0
                ? "RankingResult[users=0]"
                : String.format(
                        Locale.ROOT,
                        "RankingResult[users=%d, HR@10=%.4f, NDCG@10=%.4f]",
                        ranks.length,
                        hitRate(10),
                        ndcg(10));
    }
}
