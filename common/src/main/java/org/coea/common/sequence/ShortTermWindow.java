package org.coea.common.sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.coea.common.hash.CategorySetHash;

/**
 * The short-term window rule (METHOD.md, DSIE) shared by the batch {@code sequences} stage and the
 * streaming {@code short-term-interest} job: a user's short-term window is the last {@code n}
 * clicks in (timestamp, item id) order; its categories are the categories of those items in that
 * order, each kept at its first appearance (oldest first; an item's categories in their listed
 * order); the set is the sorted distinct ids and the key hash is {@link CategorySetHash}.
 *
 * <p>{@link #last} applies the rule to a whole history (batch); {@link #insert} applies one click
 * to a window (streaming) and gives the same window as {@link #last} over the same distinct clicks
 * in any arrival order. A click equal in timestamp and item to one in the window is a duplicate and
 * changes nothing; a click older than a full window's oldest falls outside it.
 */
public final class ShortTermWindow {
    /** The window order: timestamp, then item id. */
    public static final Comparator<Click> ORDER =
            Comparator.comparingLong(Click::epochSeconds).thenComparingLong(Click::itemId);

    private ShortTermWindow() {}

    /**
     * One click with its item's categories.
     *
     * @param epochSeconds when (Unix seconds)
     * @param itemId the item
     * @param categories the item's category ids in listed order
     */
    public record Click(long epochSeconds, long itemId, int[] categories) {
        /** Validates the fields. */
        public Click {
            Objects.requireNonNull(categories, "categories");
        }

        /** Whether this click has the same timestamp and item as {@code other}. */
        public boolean sameEvent(Click other) {
            return epochSeconds == other.epochSeconds && itemId == other.itemId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Click c && sameEvent(c) && Arrays.equals(categories, c.categories);
        }

        @Override
        public int hashCode() {
            return Objects.hash(epochSeconds, itemId, Arrays.hashCode(categories));
        }

        @Override
        public String toString() {
            return "Click["
                    + epochSeconds
                    + ", "
                    + itemId
                    + ", "
                    + Arrays.toString(categories)
                    + "]";
        }
    }

    /**
     * The categories of a window.
     *
     * @param categories ordered distinct category ids, oldest first
     * @param set the sorted distinct ids
     * @param hash the key hash of the set (16 hex digits)
     */
    public record Categories(int[] categories, int[] set, String hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Categories c
                    && Arrays.equals(categories, c.categories)
                    && Arrays.equals(set, c.set);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(categories) * 31 + Arrays.hashCode(set);
        }

        @Override
        public String toString() {
            return "Categories["
                    + Arrays.toString(categories)
                    + ", set "
                    + Arrays.toString(set)
                    + "]";
        }
    }

    /** What {@link #insert} did with a click. */
    public enum Insert {
        /** The click entered the window. */
        ADDED,
        /** The window already holds a click with this timestamp and item. */
        DUPLICATE,
        /** The window is full and the click is older than its oldest click. */
        OUTSIDE
    }

    /** The last {@code n} clicks of a history (any order) in window order; a stable sort. */
    public static List<Click> last(List<Click> clicks, int n) {
        checkLength(n);
        List<Click> ordered = new ArrayList<>(clicks);
        ordered.sort(ORDER);
        return new ArrayList<>(ordered.subList(Math.max(0, ordered.size() - n), ordered.size()));
    }

    /**
     * Inserts a click into a window (in window order, at most {@code n} long), in place, dropping
     * the oldest click when the window grows past {@code n}.
     */
    public static Insert insert(List<Click> window, Click click, int n) {
        checkLength(n);
        int at = window.size();
        while (at > 0 && ORDER.compare(window.get(at - 1), click) > 0) {
            at--;
        }
        for (int i = at - 1; i >= 0 && ORDER.compare(window.get(i), click) == 0; i--) {
            if (window.get(i).sameEvent(click)) {
                return Insert.DUPLICATE;
            }
        }
        if (window.size() >= n && at == 0) {
            return Insert.OUTSIDE;
        }
        window.add(at, click);
        while (window.size() > n) {
            window.remove(0);
        }
        return Insert.ADDED;
    }

    /** The categories, set and hash of a window (in window order). */
    public static Categories categories(List<Click> window) {
        LinkedHashSet<Integer> cats = new LinkedHashSet<>();
        for (Click c : window) {
            for (int k : c.categories()) {
                cats.add(k);
            }
        }
        int[] ordered = cats.stream().mapToInt(Integer::intValue).toArray();
        TreeSet<Integer> sorted = new TreeSet<>(cats);
        int[] set = sorted.stream().mapToInt(Integer::intValue).toArray();
        return new Categories(ordered, set, CategorySetHash.hex(sorted));
    }

    private static void checkLength(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("the short-term length must be positive, got " + n);
        }
    }
}
