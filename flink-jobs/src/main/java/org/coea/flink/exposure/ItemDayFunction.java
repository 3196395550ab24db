package org.coea.flink.exposure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.coea.common.exposure.NewItemExposure;
import org.coea.common.model.ClickRecord;

/**
 * Keyed by item: counts the item's exposures per UTC day and, when the watermark passes the end of
 * a day, emits the day's count and whether the item was new that day ({@link
 * NewItemExposure#isNew}: no exposure on the previous seven days). Days that can no longer affect a
 * later day are removed, so an item's state is gone eight days after its last exposure.
 */
public class ItemDayFunction extends KeyedProcessFunction<Long, ClickRecord, ItemDay> {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MILLIS = 86_400_000L;

    private transient MapState<Long, Long> countsByDay;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        countsByDay =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("counts-by-day", Types.LONG, Types.LONG));
    }

    @Override
    public void processElement(ClickRecord exposure, Context ctx, Collector<ItemDay> out)
            throws Exception {
        long day = NewItemExposure.day(exposure.epochSeconds());
        long endOfDay = (day + 1) * DAY_MILLIS - 1;
        if (endOfDay <= ctx.timerService().currentWatermark()) {
            // the day was already reported; counting it now would change a published figure
            return;
        }
        Long count = countsByDay.get(day);
        countsByDay.put(day, count == null ? 1L : count + 1);
        ctx.timerService().registerEventTimeTimer(endOfDay);
        ctx.timerService()
                .registerEventTimeTimer(endOfDay + NewItemExposure.LOOKBACK_DAYS * DAY_MILLIS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ItemDay> out)
            throws Exception {
        long day = Math.floorDiv(timestamp, DAY_MILLIS);
        Long count = countsByDay.get(day);
        List<Long> days = new ArrayList<>();
        for (Map.Entry<Long, Long> e : countsByDay.entries()) {
            days.add(e.getKey());
        }
        if (count != null) {
            out.collect(new ItemDay(day, count, NewItemExposure.isNew(days, day)));
        }
        for (long d : days) {
            if (d <= day - NewItemExposure.LOOKBACK_DAYS) {
                countsByDay.remove(d);
            }
        }
    }
}
