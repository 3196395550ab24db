package org.coea.common.exposure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * 7D-NIEP (METHOD.md, Appendix A.4.6): per UTC day, the share of the day's exposures whose item was
 * not exposed on any of the previous {@value #LOOKBACK_DAYS} days.
 *
 * <p>Interpretation (recorded in docs/streaming.md): both counts are of exposures, so the figure is
 * in [0, 1]: an item exposed five times today and never in the previous seven days adds five to the
 * numerator and five to the denominator. Days before the first exposure of the log count as empty,
 * so in the first seven days of a log every item is new.
 */
public final class NewItemExposure {
    /** The look-back window in days. */
    public static final int LOOKBACK_DAYS = 7;

    private static final long SECONDS_PER_DAY = 86_400L;

    private NewItemExposure() {}

    /**
     * One exposure.
     *
     * @param itemId the item shown
     * @param epochSeconds when (Unix seconds)
     */
    public record Exposure(long itemId, long epochSeconds) {}

    /**
     * The figure of one day.
     *
     * @param day the UTC day number (days since 1970-01-01)
     * @param exposures all exposures of the day
     * @param newExposures exposures of items not exposed in the previous seven days
     */
    public record DayFigure(long day, long exposures, long newExposures) {
        /** Validates the counts. */
        public DayFigure {
            if (exposures < 0 || newExposures < 0 || newExposures > exposures) {
                throw new IllegalArgumentException(
                        "need 0 <= new exposures <= exposures, got "
                                + newExposures
                                + " of "
                                + exposures);
            }
        }

        /** 7D-NIEP: new exposures over all exposures; 0 for a day without exposures. */
        public double niep() {
            return exposures == 0 ? 0.0 : (double) newExposures / exposures;
        }
    }

    /** The UTC day number of a timestamp. */
    public static long day(long epochSeconds) {
        return Math.floorDiv(epochSeconds, SECONDS_PER_DAY);
    }

    /** Whether an item exposed on the given days is new on {@code day}. */
    public static boolean isNew(Collection<Long> exposedDays, long day) {
        for (long d : exposedDays) {
            if (d >= day - LOOKBACK_DAYS && d < day) {
                return false;
            }
        }
        return true;
    }

    /** The figures of every day with exposures, in day order: the reference computation. */
    public static List<DayFigure> compute(Collection<Exposure> exposures) {
        Map<Long, Set<Long>> daysOfItem = new HashMap<>();
        TreeMap<Long, Map<Long, Long>> countsOfDay = new TreeMap<>();
        for (Exposure e : exposures) {
            long d = day(e.epochSeconds());
            daysOfItem.computeIfAbsent(e.itemId(), k -> new HashSet<>()).add(d);
            countsOfDay.computeIfAbsent(d, k -> new HashMap<>()).merge(e.itemId(), 1L, Long::sum);
        }
        List<DayFigure> out = new ArrayList<>();
        for (Map.Entry<Long, Map<Long, Long>> day : countsOfDay.entrySet()) {
            long all = 0;
            long fresh = 0;
            for (Map.Entry<Long, Long> item : day.getValue().entrySet()) {
                all += item.getValue();
                if (isNew(daysOfItem.get(item.getKey()), day.getKey())) {
                    fresh += item.getValue();
                }
            }
            out.add(new DayFigure(day.getKey(), all, fresh));
        }
        return out;
    }
}
