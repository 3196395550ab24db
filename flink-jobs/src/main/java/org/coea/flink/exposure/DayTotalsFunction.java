package org.coea.flink.exposure;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.coea.common.exposure.NewItemExposure.DayFigure;

/**
 * Keyed by day: adds up the items' day counts and emits the day's 7D-NIEP figure when the watermark
 * passes the end of the day, then clears the day's state.
 */
public class DayTotalsFunction extends KeyedProcessFunction<Long, ItemDay, DayFigure> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> exposures;
    private transient ValueState<Long> fresh;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        exposures =
                getRuntimeContext().getState(new ValueStateDescriptor<>("exposures", Types.LONG));
        fresh = getRuntimeContext().getState(new ValueStateDescriptor<>("new", Types.LONG));
    }

    @Override
    public void processElement(ItemDay item, Context ctx, Collector<DayFigure> out)
            throws Exception {
        long all = exposures.value() == null ? 0 : exposures.value();
        long n = fresh.value() == null ? 0 : fresh.value();
        exposures.update(all + item.exposures());
        fresh.update(n + (item.isNew() ? item.exposures() : 0));
        ctx.timerService().registerEventTimeTimer((item.day() + 1) * 86_400_000L - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DayFigure> out)
            throws Exception {
        if (exposures.value() != null) {
            out.collect(new DayFigure(ctx.getCurrentKey(), exposures.value(), fresh.value()));
        }
        exposures.clear();
        fresh.clear();
    }
}
