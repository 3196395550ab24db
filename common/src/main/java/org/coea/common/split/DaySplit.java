package org.coea.common.split;

/**
 * The by-day split (as the paper does for MTRec: first days train, then validation days, last days
 * test): over the log's distinct UTC days, the last {@code testDays} are test and the {@code
 * validDays} before them validation.
 */
public final class DaySplit implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int testDays;
    private final int validDays;

    /** A split with these day counts. */
    public DaySplit(int testDays, int validDays) {
        if (testDays < 1 || validDays < 0) {
            throw new IllegalArgumentException(
                    "need test days >= 1 and valid days >= 0, got " + testDays + ", " + validDays);
        }
        this.testDays = testDays;
        this.validDays = validDays;
    }

    /** The UTC day number (days since 1970-01-01) of a timestamp. */
    public static long day(long epochSeconds) {
        return Math.floorDiv(epochSeconds, 86_400L);
    }

    /**
     * The first test day and the first validation day for a log whose last day is {@code lastDay}
     * and whose first is {@code firstDay}.
     *
     * @throws IllegalArgumentException when the log has too few days to leave a training day
     */
    public long[] boundaries(long firstDay, long lastDay) {
        long span = lastDay - firstDay + 1;
        if (span <= testDays + validDays) {
            throw new IllegalArgumentException(
                    "the log covers "
                            + span
                            + " days: too few for "
                            + testDays
                            + " test and "
                            + validDays
                            + " validation days plus training");
        }
        long firstTest = lastDay - testDays + 1;
        return new long[] {firstTest, firstTest - validDays};
    }

    /** The part of an event on {@code day}, given the boundaries from {@link #boundaries}. */
    public static SplitPart part(long day, long firstTestDay, long firstValidDay) {
        if (day >= firstTestDay) {
            return SplitPart.TEST;
        }
        return day >= firstValidDay ? SplitPart.VALID : SplitPart.TRAIN;
    }
}
