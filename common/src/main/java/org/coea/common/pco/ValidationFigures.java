package org.coea.common.pco;

import java.util.List;
import java.util.Set;

/**
 * The per-cycle validation figures of PCO, per user and averaged by the caller: novelty (the share
 * of the top K outside the user's history, NCP@K) and relevance (the share of the top K the user
 * clicks in the next time slice, C-H@K). A list shorter than K counts its missing places as neither
 * novel nor clicked.
 */
public final class ValidationFigures {
    private ValidationFigures() {}

    /** |top K \ history| / K. */
    public static double novelty(List<Integer> ranked, Set<Integer> history, int k) {
        check(k);
        int n = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            n += history.contains(ranked.get(i)) ? 0 : 1;
        }
        return n / (double) k;
    }

    /** |top K intersect clicked| / K. */
    public static double hits(List<Integer> ranked, Set<Integer> clicked, int k) {
        check(k);
        int n = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            n += clicked.contains(ranked.get(i)) ? 1 : 0;
        }
        return n / (double) k;
    }

    private static void check(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("K must be positive, got " + k);
        }
    }
}
