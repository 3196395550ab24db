package org.coea.common.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a group's profile from its representative users' long-term histories (Eq. 7) without a
 * language model: the dominant categories (largest share of the representatives' clicks), the
 * distinctive ones (highest lift: share in the group over share in all training clicks, among
 * categories with at least {@code minClicks} group clicks), and example titles (the items the
 * representatives clicked most). The text follows a fixed sentence template, so profiles of
 * different groups compare line by line.
 */
public final class StatisticalProfiler implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The sentence the profile text follows. */
    public static final String TEMPLATE =
            "Users who mostly choose {{dominant}}; more than others they like {{distinctive}}; typical picks: {{titles}}.";

    private final int dominant;
    private final int distinctive;
    private final int titles;
    private final int minClicks;

    /**
     * @param dominant how many dominant categories to name
     * @param distinctive how many distinctive categories to name
     * @param titles how many example titles to name
     * @param minClicks group clicks a category needs to count as distinctive
     */
    public StatisticalProfiler(int dominant, int distinctive, int titles, int minClicks) {
        this.dominant = dominant;
        this.distinctive = distinctive;
        this.titles = titles;
        this.minClicks = minClicks;
    }

    /**
     * A profile.
     *
     * @param dominantCategories names, most clicked first
     * @param distinctiveCategories names, highest lift first
     * @param exampleTitles titles, most clicked first
     * @param text the rendered sentence
     */
    public record Profile(
            List<String> dominantCategories,
            List<String> distinctiveCategories,
            List<String> exampleTitles,
            String text) {}

    /**
     * Profiles a group.
     *
     * @param groupCategoryClicks clicks per category name by the representatives
     * @param globalCategoryClicks clicks per category name over all training users
     * @param itemClicks clicks per item title by the representatives
     */
    public Profile profile(
            Map<String, Long> groupCategoryClicks,
            Map<String, Long> globalCategoryClicks,
            Map<String, Long> itemClicks) {
        long groupTotal = groupCategoryClicks.values().stream().mapToLong(Long::longValue).sum();
        long globalTotal = globalCategoryClicks.values().stream().mapToLong(Long::longValue).sum();
        List<String> dom = top(groupCategoryClicks, dominant);
        Map<String, Double> lift = new HashMap<>();
        for (Map.Entry<String, Long> e : groupCategoryClicks.entrySet()) {
            long global = globalCategoryClicks.getOrDefault(e.getKey(), 0L);
            if (e.getValue() >= minClicks && global > 0 && groupTotal > 0) {
                lift.put(
                        e.getKey(),
                        (e.getValue() / (double) groupTotal) / (global / (double) globalTotal));
            }
        }
        List<String> dis = new ArrayList<>(lift.keySet());
        dis.sort(Comparator.comparingDouble((String k) -> -lift.get(k)).thenComparing(k -> k));
        dis = dis.subList(0, Math.min(distinctive, dis.size()));
        List<String> ex = top(itemClicks, titles);
        String text =
                TEMPLATE.replace("{{dominant}}", join(dom))
                        .replace("{{distinctive}}", join(dis))
                        .replace("{{titles}}", join(ex));
        return new Profile(List.copyOf(dom), List.copyOf(dis), List.copyOf(ex), text);
    }

    private static List<String> top(Map<String, Long> counts, int n) {
        List<String> keys = new ArrayList<>(counts.keySet());
        keys.sort(Comparator.comparingLong((String k) -> -counts.get(k)).thenComparing(k -> k));
        return keys.subList(0, Math.min(n, keys.size()));
    }

    private static String join(List<String> names) {
        return names.isEmpty() ? "nothing in particular" : String.join(", ", names);
    }
}
