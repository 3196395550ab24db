package org.coea.common.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.split.PerUserSplit;
import org.coea.common.split.SplitPart;

/**
 * What a click replayer sends and in which order: the test window of a log under the per-user split
 * (each user's last clicks, as the batch {@code split} stage cuts them), ordered by (timestamp,
 * user id, item id) so that every user's clicks keep their order, paced at a fixed rate.
 */
public final class ClickReplay {
    /** The replay order: timestamp, user id, item id. */
    public static final Comparator<BehaviorEvent> ORDER =
            Comparator.comparingLong(BehaviorEvent::epochSeconds)
                    .thenComparingLong(BehaviorEvent::userId)
                    .thenComparingLong(BehaviorEvent::itemId);

    private ClickReplay() {}

    /**
     * The clicks of the test part under the per-user split: per user, the clicks ordered by
     * (timestamp, item id), of which {@link PerUserSplit#part} says TEST; in replay order.
     */
    public static List<BehaviorEvent> testWindow(List<BehaviorEvent> clicks, PerUserSplit split) {
        Map<Long, List<BehaviorEvent>> byUser = new TreeMap<>();
        for (BehaviorEvent e : clicks) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<BehaviorEvent> out = new ArrayList<>();
        for (List<BehaviorEvent> user : byUser.values()) {
            user.sort(
                    Comparator.comparingLong(BehaviorEvent::epochSeconds)
                            .thenComparingLong(BehaviorEvent::itemId));
            long n = user.size();
            for (int i = 0; i < n; i++) {
                if (split.part(i + 1, n) == SplitPart.TEST) {
                    out.add(user.get(i));
                }
            }
        }
        out.sort(ORDER);
        return out;
    }

    /**
     * When the {@code index}-th event (0-based) is due, in nanoseconds after the replay start, at
     * {@code eventsPerSecond}; 0 for an unpaced replay ({@code eventsPerSecond <= 0}).
     */
    public static long dueNanos(long index, double eventsPerSecond) {
        if (eventsPerSecond <= 0) {
            return 0L;
        }
        return (long) (index * 1e9 / eventsPerSecond);
    }
}
