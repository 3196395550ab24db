package org.coea.model.csa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.coea.model.train.Seeds;

/**
 * The SASRec leave-one-out protocol: for every user the model reads the history without the
 * held-out item and ranks the held-out item against sampled negatives, items the user never
 * interacted with; HR@10 and NDCG@10 follow from the ranks ({@link RankingResult}).
 */
public final class CsaEvaluator {
    /** Negatives per user in the SASRec protocol. */
    public static final int NEGATIVES = 100;

    private CsaEvaluator() {}

    /**
     * Draws {@code count} distinct negatives per case, uniformly from the items {@code 1..numItems}
     * that are neither in the case's history nor its held-out item. Case i uses its own generator
     * derived from {@code seed} and i, so a case's negatives do not depend on the other cases.
     *
     * @throws IllegalArgumentException when a case has fewer than {@code count} such items
     */
    public static int[][] sampleNegatives(
            List<LeaveOneOutCase> cases, int numItems, int count, long seed) {
        int[][] out = new int[cases.size()][];
        for (int i = 0; i < out.length; i++) {
            LeaveOneOutCase c = cases.get(i);
            Set<Integer> seen = new HashSet<>();
            seen.add(c.heldOutItem());
            for (int item : c.history()) {
                seen.add(item);
            }
            seen.removeIf(item -> item > numItems);
            int eligible = numItems - seen.size();
            if (eligible < count) {
                throw new IllegalArgumentException(
                        "case "
                                + i
                                + " has "
                                + eligible
                                + " items it never interacted with, fewer than "
                                + count
                                + " negatives");
            }
            out[i] = sample(new Random(Seeds.derive(seed, i)), numItems, seen, eligible, count);
        }
        return out;
    }

    private static int[] sample(
            Random random, int numItems, Set<Integer> seen, int eligible, int count) {
        int[] out = new int[count];
        if (eligible >= 2 * count) {
            Set<Integer> taken = new HashSet<>();
            for (int k = 0; k < count; ) {
                int item = 1 + random.nextInt(numItems);
                if (!seen.contains(item) && taken.add(item)) {
                    out[k++] = item;
                }
            }
            return out;
        }
        int[] pool = new int[eligible];
        int p = 0;
        for (int item = 1; item <= numItems; item++) {
            if (!seen.contains(item)) {
                pool[p++] = item;
            }
        }
        for (int k = 0; k < count; k++) {
            int j = k + random.nextInt(eligible - k);
            int swap = pool[k];
            pool[k] = pool[j];
            pool[j] = swap;
            out[k] = pool[k];
        }
        return out;
    }

    /**
     * Evaluates the encoder with {@value #NEGATIVES} negatives per case drawn by {@link
     * #sampleNegatives} from {@code seed}.
     */
    public static RankingResult leaveOneOut(
            CsaEncoder encoder, List<LeaveOneOutCase> cases, long seed) {
        return leaveOneOut(
                encoder,
                cases,
                sampleNegatives(cases, encoder.config().numItems(), NEGATIVES, seed));
    }

    /**
     * Ranks each case's held-out item among its negatives by {@code <h_u, E[item]>}, with h_u read
     * from the case's history (its last {@code maxLength} items) and features.
     *
     * @param negatives per case, the items to rank against (e.g. from {@link #sampleNegatives})
     */
    public static RankingResult leaveOneOut(
            CsaEncoder encoder, List<LeaveOneOutCase> cases, int[][] negatives) {
        Objects.requireNonNull(encoder, "encoder");
        if (negatives.length != cases.size()) {
            throw new IllegalArgumentException(
                    cases.size() + " cases but " + negatives.length + " negative lists");
        }
        int[] ranks = new int[cases.size()];
        List<int[]> all = new ArrayList<>(cases.size());
        cases.forEach(c -> all.add(c.history()));
        // Batches of similar history length: padding costs quadratic attention work.
        int[] order = CsaEncoder.byLength(all, encoder.config().maxLength());
        for (int from = 0; from < cases.size(); from += CsaEncoder.BATCH) {
            int to = Math.min(cases.size(), from + CsaEncoder.BATCH);
            List<int[]> histories = new ArrayList<>();
            List<int[]> features = new ArrayList<>();
            int width = negatives[order[from]].length + 1;
            long[] candidates = new long[(to - from) * width];
            for (int k = from; k < to; k++) {
                int i = order[k];
                LeaveOneOutCase c = cases.get(i);
                histories.add(c.history());
                features.add(c.features());
                if (negatives[i].length != width - 1) {
                    throw new IllegalArgumentException(
                            "every case needs the same number of negatives");
                }
                int row = (k - from) * width;
                candidates[row] = Batches.checkItem(encoder.config(), c.heldOutItem());
                for (int j = 1; j < width; j++) {
                    candidates[row + j] = Batches.checkItem(encoder.config(), negatives[i][j - 1]);
                }
            }
            float[] scores;
            try (NDManager m = encoder.manager().newSubManager()) {
                Batches.Packed p = Batches.pack(m, encoder.config(), histories, features);
                NDArray h = encoder.userVector(p.items(), p.features());
                scores =
                        encoder.score(h, m.create(candidates, new Shape(to - from, width)))
                                .toFloatArray();
            }
            for (int k = from; k < to; k++) {
                int i = order[k];
                int row = (k - from) * width;
                double[] neg = new double[width - 1];
                for (int j = 1; j < width; j++) {
                    neg[j - 1] = scores[row + j];
                }
                ranks[i] = RankingMetrics.rank(scores[row], neg);
            }
        }
        return new RankingResult(ranks);
    }
}
