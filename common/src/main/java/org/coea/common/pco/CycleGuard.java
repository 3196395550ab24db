package org.coea.common.pco;

/**
 * The PCO guard: a cycle whose validation novelty fell by more than a share of the previous
 * version's is not published (the collapse the paper shows without the KL term, Fig. 4).
 */
public final class CycleGuard {
    private CycleGuard() {}

    /**
     * Whether the guard stops the cycle.
     *
     * @param before the previous version's validation novelty
     * @param now this cycle's validation novelty
     * @param maxDrop the largest allowed drop as a share of {@code before}, in (0, 1]; 1 never
     *     stops
     */
    public static boolean trips(double before, double now, double maxDrop) {
        if (!(maxDrop > 0 && maxDrop <= 1)) {
            throw new IllegalArgumentException(
                    "the guard's drop must be in (0, 1], got " + maxDrop);
        }
        if (Double.isNaN(before) || Double.isNaN(now)) {
            return false;
        }
        return now < (1 - maxDrop) * before;
    }
}
