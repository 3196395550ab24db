package org.coea.common.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The per-user metrics of a ranked category list R (METHOD.md, Appendix A.4), each at a cut-off K.
 * A list shorter than K counts its missing places as misses (systems complete their lists with
 * {@link #complete} first, so this only happens when the catalogue runs out).
 *
 * <ul>
 *   <li>C-H@K = |R^K ∩ P| / K, P = categories clicked in the test window;
 *   <li>C-N@K = DCG@K / IDCG@K, rel = 1 for a category in P, discount log2(rank + 1);
 *   <li>NCP@K = |R^K \ H| / K, H = categories of the training history;
 *   <li>CLTP@K = |R^K ∩ LT| / K, LT = the long-tail categories;
 *   <li>S-H@K = |(R^K \ S) ∩ P| / K, S = the short-term set: serendipitous hits.
 * </ul>
 */
public final class CategoryMetrics {
    private CategoryMetrics() {}

    /** C-H@K. */
    public static double hits(List<Integer> ranked, Set<Integer> clicked, int k) {
        return count(ranked, k, c -> clicked.contains(c)) / (double) checked(k);
    }

    /** C-N@K; 0 when nothing was clicked. */
    public static double ndcg(List<Integer> ranked, Set<Integer> clicked, int k) {
        checked(k);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (clicked.contains(ranked.get(i))) {
                dcg += 1 / log2(i + 2);
            }
        }
        double idcg = 0;
        for (int i = 0; i < Math.min(k, clicked.size()); i++) {
            idcg += 1 / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** NCP@K. */
    public static double novelty(List<Integer> ranked, Set<Integer> history, int k) {
        return count(ranked, k, c -> !history.contains(c)) / (double) checked(k);
    }

    /** CLTP@K. */
    public static double longTail(List<Integer> ranked, Set<Integer> longTail, int k) {
        return count(ranked, k, c -> longTail.contains(c)) / (double) checked(k);
    }

    /** S-H@K. */
    public static double serendipitousHits(
            List<Integer> ranked, Set<Integer> shortTerm, Set<Integer> clicked, int k) {
        return count(ranked, k, c -> !shortTerm.contains(c) && clicked.contains(c))
                / (double) checked(k);
    }

    /**
     * The shared completion rule for lists shorter than K: the list, then the most popular training
     * categories (in {@code byPopularity} order) that are neither in it nor in the short-term set,
     * up to K. Repeated categories in {@code ranked} keep their first place.
     */
    public static List<Integer> complete(
            List<Integer> ranked, List<Integer> byPopularity, Set<Integer> shortTerm, int k) {
        checked(k);
        List<Integer> out = new ArrayList<>(k);
        Set<Integer> seen = new HashSet<>();
        for (Integer c : ranked) {
            if (out.size() == k) {
                return out;
            }
            if (seen.add(c)) {
                out.add(c);
            }
        }
        for (Integer c : byPopularity) {
            if (out.size() == k) {
                break;
            }
            if (!shortTerm.contains(c) && seen.add(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private interface Test {
        boolean test(int category);
    }

    private static int count(List<Integer> ranked, int k, Test t) {
        checked(k);
        int n = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            n += t.test(ranked.get(i)) ? 1 : 0;
        }
        return n;
    }

    private static int checked(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("K must be positive, got " + k);
        }
        return k;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
