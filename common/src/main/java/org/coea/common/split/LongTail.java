package org.coea.common.split;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The long-tail flag of categories (METHOD.md, CLTP@K): the bottom share of categories by click
 * volume. With N categories the {@code floor(share * N)} categories of lowest volume are long-tail;
 * ties are broken by category id: the order is (volume ascending, id ascending).
 */
public final class LongTail {
    private LongTail() {}

    /**
     * Flags the long-tail categories.
     *
     * @param volumes click volume per category id (index = id)
     * @param share the bottom share, in [0, 1]
     * @return a flag per category id
     */
    public static boolean[] flags(long[] volumes, double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("long-tail share must be in [0, 1]: " + share);
        }
        int n = volumes.length;
        int tail = (int) Math.floor(share * n + 1e-9);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order, Comparator.<Integer>comparingLong(i -> volumes[i]).thenComparing(i -> i));
        boolean[] flags = new boolean[n];
        for (int r = 0; r < tail; r++) {
            flags[order[r]] = true;
        }
        return flags;
    }
}
