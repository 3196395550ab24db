package org.coea.flink.shortterm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.coea.common.sequence.ShortTermWindow;
import org.coea.flink.clicks.CategorizedClick;

/**
 * Keeps each user's last {@code n} clicks ({@link ShortTermWindow}) in keyed state and emits a
 * {@link ShortTermUpdate} whenever the user's category set changes.
 *
 * <p>Event time: clicks may arrive out of order; each is inserted at its (timestamp, item) place,
 * so the window equals the batch rule's over the same clicks whatever the arrival order. A click
 * whose timestamp is at or behind the watermark is late: it is still applied (and counted) unless
 * it is older than the state TTL, which drops it. A duplicate (same timestamp and item) changes
 * nothing. The state has an event-time TTL: when the watermark passes the newest click's time plus
 * the TTL, a timer clears the user's window and timer state; no update is emitted then (the stores
 * keep the last set).
 */
public class ShortTermFunction
        extends KeyedProcessFunction<Long, CategorizedClick, ShortTermUpdate> {
    private static final long serialVersionUID = 1L;

    /** Counters in the operator's metric group. */
    public static final String UPDATES_COUNTER = "shortTermUpdates";

    public static final String UNCHANGED_COUNTER = "clicksSetUnchanged";
    public static final String DUPLICATE_COUNTER = "clicksDuplicate";
    public static final String LATE_COUNTER = "clicksLate";
    public static final String EXPIRED_COUNTER = "clicksTooLate";
    public static final String EXPIRED_USERS_COUNTER = "usersExpired";

    private final int length;
    private final long ttlMillis;

    private transient ValueState<List<ShortTermWindow.Click>> window;
    private transient ValueState<Long> expiry;
    private transient Counter updates;
    private transient Counter unchanged;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter tooLate;
    private transient Counter expiredUsers;

    /**
     * @param length n, the short-term window
     * @param ttl how long after a user's newest click (event time) the state is cleared
     */
    public ShortTermFunction(int length, Duration ttl) {
        if (length <= 0) {
            throw new IllegalArgumentException("short-term length must be positive: " + length);
        }
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("state TTL must be positive: " + ttl);
        }
        this.length = length;
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        window =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "window",
                                        new ListTypeInfo<>(
                                                TypeInformation.of(ShortTermWindow.Click.class))));
        expiry = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry", Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup();
        updates = metrics.counter(UPDATES_COUNTER);
        unchanged = metrics.counter(UNCHANGED_COUNTER);
        duplicates = metrics.counter(DUPLICATE_COUNTER);
        late = metrics.counter(LATE_COUNTER);
        tooLate = metrics.counter(EXPIRED_COUNTER);
        expiredUsers = metrics.counter(EXPIRED_USERS_COUNTER);
    }

    @Override
    public void processElement(CategorizedClick click, Context ctx, Collector<ShortTermUpdate> out)
            throws Exception {
        long eventMillis = click.epochSeconds() * 1000L;
        long watermark = ctx.timerService().currentWatermark();
        if (eventMillis + ttlMillis <= watermark) {
            tooLate.inc();
            return;
        }
        if (eventMillis <= watermark) {
            late.inc();
        }
        List<ShortTermWindow.Click> current = window.value();
        List<ShortTermWindow.Click> next =
                current == null ? new ArrayList<>() : new ArrayList<>(current);
        int[] before = ShortTermWindow.categories(next).set();
        ShortTermWindow.Insert result = ShortTermWindow.insert(next, click.toWindowClick(), length);
        if (result == ShortTermWindow.Insert.DUPLICATE) {
            duplicates.inc();
            return;
        }
        if (result == ShortTermWindow.Insert.OUTSIDE) {
            unchanged.inc();
            return;
        }
        window.update(next);
        long newest = next.get(next.size() - 1).epochSeconds() * 1000L;
        long cleanup = newest + ttlMillis;
        Long previous = expiry.value();
        if (previous == null || previous != cleanup) {
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous);
            }
            ctx.timerService().registerEventTimeTimer(cleanup);
            expiry.update(cleanup);
        }
        ShortTermWindow.Categories now = ShortTermWindow.categories(next);
        if (Arrays.equals(before, now.set())) {
            unchanged.inc();
            return;
        }
        updates.inc();
        out.collect(
                new ShortTermUpdate(
                        ctx.getCurrentKey(),
                        click.epochSeconds(),
                        now.categories(),
                        now.set(),
                        now.hash()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ShortTermUpdate> out)
            throws Exception {
        Long due = expiry.value();
        if (due != null && due == timestamp) {
            window.clear();
            expiry.clear();
            expiredUsers.inc();
        }
    }
}
