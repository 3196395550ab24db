package org.coea.model.rqvae;

import java.util.Arrays;

/**
 * Counts, per level and code, the consecutive optimizer steps in which no example was assigned to
 * the code; a code whose count has reached the threshold is dead.
 *
 * <p>The trainer {@link #record records} the codes of every micro-batch, calls {@link #endStep()}
 * when a step is over (a code used in the step goes back to 0, any other goes up by one), and
 * {@link #revive revives} (back to 0) a code it re-seeds, as after the k-means initialisation.
 */
final class DeadCodeTracker {
    private final int[][] idle;
    private final boolean[][] used;

    DeadCodeTracker(int levels, int codes) {
        idle = new int[levels][codes];
        used = new boolean[levels][codes];
    }

    /** Marks the codes {@code [examples][levels]} (row-major) as used in the current step. */
    void record(long[] codes, int levels) {
        if (levels != idle.length || codes.length % levels != 0) {
            throw new IllegalArgumentException(
                    codes.length + " codes do not form rows of " + idle.length + " levels");
        }
        for (int i = 0; i < codes.length; i++) {
            used[i % levels][(int) codes[i]] = true;
        }
    }

    /** Closes the current step. */
    void endStep() {
        for (int l = 0; l < idle.length; l++) {
            for (int k = 0; k < idle[l].length; k++) {
                idle[l][k] = used[l][k] ? 0 : idle[l][k] + 1;
            }
            Arrays.fill(used[l], false);
        }
    }

    /** The codes of a level unused for at least {@code threshold} consecutive steps, ascending. */
    int[] dead(int level, int threshold) {
        int[] row = idle[level];
        int count = 0;
        int[] out = new int[row.length];
        for (int k = 0; k < row.length; k++) {
            if (row[k] >= threshold) {
                out[count++] = k;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /** Sets the idle count of a code back to 0. */
    void revive(int level, int code) {
        idle[level][code] = 0;
    }

    /** Sets every idle count back to 0. */
    void reviveAll() {
        for (int[] row : idle) {
            Arrays.fill(row, 0);
        }
    }

    /** The consecutive idle steps of a code. */
    int idleSteps(int level, int code) {
        return idle[level][code];
    }
}
