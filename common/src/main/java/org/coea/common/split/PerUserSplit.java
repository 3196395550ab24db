package org.coea.common.split;

/**
 * The per-user time split (SASRec-style, as the paper's MovieLens processing): a user's n clicks,
 * ordered by (timestamp, item id), are cut so that the last {@code floor(n * test)} go to test and
 * the {@code floor(n * valid)} before them to validation; the rest are training. A user with few
 * clicks can have empty test and validation parts.
 */
public final class PerUserSplit implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final double testFraction;
    private final double validFraction;

    /** A split with these fractions; each in [0, 1) and their sum below 1. */
    public PerUserSplit(double testFraction, double validFraction) {
        if (testFraction < 0 || validFraction < 0 || testFraction + validFraction >= 1) {
            throw new IllegalArgumentException(
                    "split fractions must be >= 0 with test + valid < 1, got test="
                            + testFraction
                            + " valid="
                            + validFraction);
        }
        this.testFraction = testFraction;
        this.validFraction = validFraction;
    }

    /** Number of test clicks of a user with n clicks. */
    public long testCount(long n) {
        return (long) Math.floor(n * testFraction + 1e-9);
    }

    /** Number of validation clicks of a user with n clicks. */
    public long validCount(long n) {
        return (long) Math.floor(n * validFraction + 1e-9);
    }

    /**
     * The part of the click at a 1-based position among a user's n time-ordered clicks.
     *
     * @throws IllegalArgumentException when the position is outside 1..n
     */
    public SplitPart part(long position, long n) {
        if (position < 1 || position > n) {
            throw new IllegalArgumentException("position " + position + " outside 1.." + n);
        }
        long test = testCount(n);
        long valid = validCount(n);
        if (position > n - test) {
            return SplitPart.TEST;
        }
        if (position > n - test - valid) {
            return SplitPart.VALID;
        }
        return SplitPart.TRAIN;
    }
}
