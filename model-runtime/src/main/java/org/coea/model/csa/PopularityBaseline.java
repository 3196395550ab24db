package org.coea.model.csa;

import java.util.List;

/**
 * The most-popular baseline of the leave-one-out protocol: every user scores an item by its number
 * of interactions in the training sequences.
 */
public final class PopularityBaseline {
    private final long[] counts;

    private PopularityBaseline(long[] counts) {
        this.counts = counts;
    }

    /** Counts the interactions with each item {@code 1..numItems} in the sequences. */
    public static PopularityBaseline fit(List<int[]> sequences, int numItems) {
        long[] counts = new long[numItems + 1];
        for (int[] s : sequences) {
            for (int item : s) {
                if (item < 1 || item > numItems) {
                    throw new IllegalArgumentException(
                            "item id " + item + " outside 1.." + numItems);
                }
                counts[item]++;
            }
        }
        return new PopularityBaseline(counts);
    }

    /**
     * A baseline from counts computed elsewhere (e.g. by Spark): {@code counts[i]} interactions
     * with item i, index 0 (padding) ignored.
     */
    public static PopularityBaseline ofCounts(long[] counts) {
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c);
            }
        }
        return new PopularityBaseline(counts.clone());
    }

    /** The interaction count of an item (its score); 0 for ids outside the vocabulary. */
    public long count(int item) {
        return item >= 1 && item < counts.length ? counts[item] : 0;
    }

    /**
     * Ranks each case's held-out item among its negatives by count, as {@link
     * CsaEvaluator#leaveOneOut(CsaEncoder, List, int[][])} does by model score (ties favour the
     * held-out item).
     */
    public RankingResult leaveOneOut(List<LeaveOneOutCase> cases, int[][] negatives) {
        if (negatives.length != cases.size()) {
            throw new IllegalArgumentException(
                    cases.size() + " cases but " + negatives.length + " negative lists");
        }
        int[] ranks = new int[cases.size()];
        for (int i = 0; i < ranks.length; i++) {
            double[] neg = new double[negatives[i].length];
            for (int k = 0; k < neg.length; k++) {
                neg[k] = count(negatives[i][k]);
            }
            ranks[i] = RankingMetrics.rank(count(cases.get(i).heldOutItem()), neg);
        }
        return new RankingResult(ranks);
    }
}
