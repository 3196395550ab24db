package org.coea.common.pco;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Turns one user's clicks (time order) into the PCO training data.
 *
 * <ul>
 *   <li><b>Novelty SFT (Eq. 8)</b>: at click j, the short-term categories are those of the {@code n
 *       - 1} clicks before it; each category of click j that the user never clicked before (absent
 *       from the whole history before the short-term window, and from the window itself) is a
 *       target. Interpretation: METHOD.md asks for "c_n absent from the long-term sequence", which
 *       cannot hold when the long-term sequence includes the short-term one, so the long-term
 *       sequence here is everything before the window.
 *   <li><b>Relevance pairs (Eq. 11)</b>: at click j, the short-term set C^S is the categories of
 *       the {@code n} clicks before it; each category of click j outside C^S is a positive; its
 *       negative is a category of an item exposed between the window's first click and click j and
 *       not clicked (when exposures exist), else one drawn by popularity from the categories
 *       outside C^S and click j.
 *   <li><b>Cycle prompts (Eq. 15)</b>: every click j after the first is one unit of stored
 *       behaviour: its prompt is the short-term categories before it, its excluded set C^S.
 * </ul>
 *
 * <p>Short-term categories are ordered by their <em>last</em> appearance, most recent last, so that
 * keeping the last two (Appendix A.2) keeps the two most recent. Draws are seeded per user and
 * click, so the result does not depend on how users are partitioned.
 */
public final class PcoExamples implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int shortLength;

    /**
     * @param shortLength n, the short-term window (METHOD.md default 10)
     */
    public PcoExamples(int shortLength) {
        if (shortLength < 2) {
            throw new IllegalArgumentException(
                    "the short-term window must be >= 2 clicks, got " + shortLength);
        }
        this.shortLength = shortLength;
    }

    /** A click or exposure: its time and its item's categories. */
    public record Event(long ts, int[] categories) implements Serializable {
        /** Validates and copies. */
        public Event {
            categories = categories.clone();
        }
    }

    /**
     * A Novelty SFT example (Eq. 8).
     *
     * @param position the index of the target click in the user's clicks
     * @param recent the short-term categories before it, most recent last
     * @param target the never-clicked category
     */
    public record NoveltyExample(int position, int[] recent, int target) {}

    /**
     * A Relevance pair (Eq. 11).
     *
     * @param position the index of the clicked-next event
     * @param recent C^S, most recent last
     * @param positive the clicked category outside C^S
     * @param negative the exposed-but-unclicked or popularity-sampled category
     * @param fromExposure whether the negative came from an exposure
     */
    public record RelevancePair(
            int position, int[] recent, int positive, int negative, boolean fromExposure) {}

    /**
     * One unit of behaviour for the cycles (Eq. 15).
     *
     * @param position the index of the click
     * @param recent C^S before the click, most recent last
     * @param clicked the click's categories outside C^S (the positives it gave; may be empty)
     */
    public record Behaviour(int position, int[] recent, int[] clicked) {}

    /** Eq. 8 examples of a user, in click order. */
    public List<NoveltyExample> novelty(List<Event> clicks) {
        List<NoveltyExample> out = new ArrayList<>();
        Set<Integer> seen = new java.util.HashSet<>();
        for (int j = 0; j < clicks.size(); j++) {
            int[] cats = clicks.get(j).categories();
            if (j > 0) {
                int[] recent = recent(clicks, Math.max(0, j - (shortLength - 1)), j);
                Set<Integer> targets = new LinkedHashSet<>();
                for (int c : cats) {
                    if (!seen.contains(c)) {
                        targets.add(c);
                    }
                }
                for (int c : targets) {
                    out.add(new NoveltyExample(j, recent, c));
                }
            }
            for (int c : cats) {
                seen.add(c);
            }
        }
        return out;
    }

    /**
     * Eq. 11 pairs of a user, in click order.
     *
     * @param clicks the user's clicks, time order
     * @param exposures the user's exposures, any order (empty without exposure logs)
     * @param popularity per category id, its training click volume (the negative sampling weight)
     * @param seed the run's seed
     * @param userId the user, to seed the user's draws
     */
    public List<RelevancePair> relevance(
            List<Event> clicks, List<Event> exposures, long[] popularity, long seed, long userId) {
        Objects.requireNonNull(popularity, "popularity");
        List<Event> shown = new ArrayList<>(exposures);
        shown.sort((a, b) -> Long.compare(a.ts(), b.ts()));
        List<RelevancePair> out = new ArrayList<>();
        for (int j = 1; j < clicks.size(); j++) {
            int from = Math.max(0, j - shortLength);
            int[] recent = recent(clicks, from, j);
            Set<Integer> inWindow = set(recent);
            int[] next = clicks.get(j).categories();
            Set<Integer> positives = new LinkedHashSet<>();
            for (int c : next) {
                if (!inWindow.contains(c)) {
                    positives.add(c);
                }
            }
            if (positives.isEmpty()) {
                continue;
            }
            Set<Integer> clicked = new java.util.HashSet<>(inWindow);
            for (int c : next) {
                clicked.add(c);
            }
            TreeSet<Integer> exposed =
                    exposedCategories(shown, clicks.get(from).ts(), clicks.get(j).ts(), clicked);
            SplittableRandom random = new SplittableRandom(mix(seed, userId, j));
            for (int positive : positives) {
                if (!exposed.isEmpty()) {
                    Integer[] e = exposed.toArray(new Integer[0]);
                    out.add(
                            new RelevancePair(
                                    j, recent, positive, e[random.nextInt(e.length)], true));
                    continue;
                }
                int negative = byPopularity(popularity, clicked, random);
                if (negative >= 0) {
                    out.add(new RelevancePair(j, recent, positive, negative, false));
                }
            }
        }
        return out;
    }

    /** The cycle behaviour of a user: one unit per click after the first, in click order. */
    public List<Behaviour> behaviour(List<Event> clicks) {
        List<Behaviour> out = new ArrayList<>();
        for (int j = 1; j < clicks.size(); j++) {
            int[] recent = recent(clicks, Math.max(0, j - shortLength), j);
            Set<Integer> inWindow = set(recent);
            LinkedHashSet<Integer> clicked = new LinkedHashSet<>();
            for (int c : clicks.get(j).categories()) {
                if (!inWindow.contains(c)) {
                    clicked.add(c);
                }
            }
            out.add(
                    new Behaviour(
                            j, recent, clicked.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    /**
     * The distinct categories of {@code clicks[from, to)} ordered by last appearance, most recent
     * last; within one click, in the item's listed order.
     */
    public static int[] recent(List<Event> clicks, int from, int to) {
        LinkedHashSet<Integer> order = new LinkedHashSet<>();
        for (int i = from; i < to; i++) {
            for (int c : clicks.get(i).categories()) {
                order.remove(c);
                order.add(c);
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Set<Integer> set(int[] ids) {
        Set<Integer> s = new java.util.HashSet<>();
        for (int c : ids) {
            s.add(c);
        }
        return s;
    }

    private static TreeSet<Integer> exposedCategories(
            List<Event> shown, long fromTs, long toTs, Set<Integer> clicked) {
        TreeSet<Integer> out = new TreeSet<>();
        for (Event e : shown) {
            if (e.ts() < fromTs) {
                continue;
            }
            if (e.ts() > toTs) {
                break;
            }
            for (int c : e.categories()) {
                if (!clicked.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** A category outside {@code excluded}, drawn with probability proportional to its volume. */
    public static int byPopularity(
            long[] popularity, Set<Integer> excluded, SplittableRandom random) {
        long total = 0;
        for (int c = 0; c < popularity.length; c++) {
            if (!excluded.contains(c) && popularity[c] > 0) {
                total += popularity[c];
            }
        }
        if (total == 0) {
            return -1;
        }
        long pick = random.nextLong(total);
        for (int c = 0; c < popularity.length; c++) {
            if (!excluded.contains(c) && popularity[c] > 0) {
                pick -= popularity[c];
                if (pick < 0) {
                    return c;
                }
            }
        }
        throw new AssertionError("unreachable: draw beyond the total");
    }

    /** A seed for one user's click, stable across JVMs. */
    public static long mix(long seed, long userId, long position) {
        long h = seed * 0x9E3779B97F4A7C15L + userId;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + position;
        h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 32);
    }

    @Override
    public String toString() {
        return "PcoExamples[n=" + shortLength + "]";
    }
}
