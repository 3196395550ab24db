package org.coea.common.pco;

/**
 * The uniform rho sample of stored behaviour that one PCO cycle learns from (Eq. 15): a unit is in
 * cycle t's sample when a hash of (seed, t, user, position) falls below rho, so the sample is the
 * same whatever the partitioning and can be recomputed after a crash.
 */
public final class CycleSample {
    private CycleSample() {}

    /**
     * Whether the unit is in the sample.
     *
     * @param rate rho in (0, 1]
     */
    public static boolean keep(long seed, int cycle, long userId, int position, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("the sample rate must be in (0, 1], got " + rate);
        }
        long h = PcoExamples.mix(seed ^ (0x5DEECE66DL * (cycle + 1)), userId, position);
        double u = (h >>> 11) * 0x1.0p-53;
        return u < rate;
    }
}
