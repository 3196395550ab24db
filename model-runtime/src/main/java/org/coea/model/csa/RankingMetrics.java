package org.coea.model.csa;

/**
 * The ranking metrics of the SASRec protocol from 0-based ranks (the number of negatives scored
 * strictly above the held-out item): HR@K and NDCG@K with one relevant item per user.
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /** The number of {@code negatives} strictly greater than {@code positive} (ties favour it). */
    public static int rank(double positive, double[] negatives) {
        int rank = 0;
        for (double n : negatives) {
            if (n > positive) {
                rank++;
            }
        }
        return rank;
    }

    /** HR@K: the share of users whose rank is below {@code k}. */
    public static double hitRate(int[] ranks, int k) {
        check(ranks, k);
        int hits = 0;
        for (int r : ranks) {
            hits += r < k ? 1 : 0;
        }
        return hits / (double) ranks.length;
    }

    /**
     * NDCG@K: the mean over users of {@code 1 / log2(rank + 2)} when {@code rank < k}, else 0 (the
     * ideal DCG of one relevant item is 1).
     */
    public static double ndcg(int[] ranks, int k) {
        check(ranks, k);
        double sum = 0;
        for (int r : ranks) {
            if (r < k) {
                sum += Math.log(2) / Math.log(r + 2.0);
            }
        }
        return sum / ranks.length;
    }

    private static void check(int[] ranks, int k) {
        if (ranks.length == 0) {
            throw new IllegalArgumentException("no ranks: metrics of zero users are undefined");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        for (int r : ranks) {
            if (r < 0) {
                throw new IllegalArgumentException("ranks are >= 0, got " + r);
            }
        }
    }
}
