package org.coea.model.prompt;

import java.util.List;
import java.util.Objects;

/**
 * The window of recent categories a prompt shows (Appendix A.2).
 *
 * <p>Users' short-term category lists differ in length, and the Novelty model sees the last {@code
 * n - 1} of them in SFT (Eq. 8) but all {@code n} at inference (Eq. 10). The paper therefore keeps
 * only the last categories: the inference prompt keeps the last two categories so SFT and inference
 * prompts have the same length. Apply the same window to the SFT, DPO and inference prompts of one
 * model.
 */
public final class RecentCategories {
    /** The window the paper uses: the last two categories. */
    public static final int DEFAULT_WINDOW = 2;

    private RecentCategories() {}

    /**
     * The last {@code k} categories, order kept; all of them when there are fewer.
     *
     * @throws IllegalArgumentException when {@code k < 1}
     */
    public static List<String> keepLast(List<String> categories, int k) {
        Objects.requireNonNull(categories, "categories");
        if (k < 1) {
            throw new IllegalArgumentException("the recent-category window must be >= 1: " + k);
        }
        int from = Math.max(0, categories.size() - k);
        return List.copyOf(categories.subList(from, categories.size()));
    }
}
