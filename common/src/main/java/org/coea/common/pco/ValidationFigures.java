package org.coea.common.pco;

import java.util.List;
import java.util.Set;
import org.coea.common.eval.CategoryMetrics;

/**
 * The per-cycle validation figures of PCO, per user and averaged by the caller: novelty (the share
 * of the top K outside the user's history, NCP@K) and relevance (the share of the top K the user
 * clicks in the next time slice, C-H@K). A list shorter than K counts its missing places as neither
 * novel nor clicked.
 */
public final class ValidationFigures {
    private ValidationFigures() {}

    /** |top K \\ history| / K (NCP@K). */
    public static double novelty(List<Integer> ranked, Set<Integer> history, int k) {
        return CategoryMetrics.novelty(ranked, history, k);
    }

    /** |top K intersect clicked| / K (C-H@K). */
    public static double hits(List<Integer> ranked, Set<Integer> clicked, int k) {
        return CategoryMetrics.hits(ranked, clicked, k);
    }
}
