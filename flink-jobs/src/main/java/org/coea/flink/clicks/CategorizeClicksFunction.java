package org.coea.flink.clicks;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.coea.common.model.ClickRecord;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.flink.items.ItemCategories;

/**
 * Maps each click's item to its category ids from the items table. A click of an item the table
 * does not know falls back to the category the record carries (when the table knows that name);
 * otherwise it goes to {@link #DEAD_LETTERS} with the reason, and is counted.
 */
public class CategorizeClicksFunction extends ProcessFunction<ClickRecord, CategorizedClick> {
    private static final long serialVersionUID = 1L;

    /** The side output of clicks that cannot be mapped. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("unmapped-clicks", TypeInformation.of(DeadLetter.class));

    /** The counter of mapped clicks. */
    public static final String MAPPED_COUNTER = "clicksMapped";

    /** The counter of clicks sent to {@link #DEAD_LETTERS}. */
    public static final String UNMAPPED_COUNTER = "clicksUnmapped";

    private final ItemCategories items;
    private final String sourceTopic;
    private transient Counter mapped;
    private transient Counter unmapped;

    /** Maps with this table; dead letters name {@code sourceTopic}. */
    public CategorizeClicksFunction(ItemCategories items, String sourceTopic) {
        this.items = Objects.requireNonNull(items, "items");
        this.sourceTopic = Objects.requireNonNull(sourceTopic, "sourceTopic");
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        mapped = getRuntimeContext().getMetricGroup().counter(MAPPED_COUNTER);
        unmapped = getRuntimeContext().getMetricGroup().counter(UNMAPPED_COUNTER);
    }

    @Override
    public void processElement(ClickRecord click, Context ctx, Collector<CategorizedClick> out) {
        Optional<int[]> categories = items.categoriesOf(click.itemId());
        String reason = null;
        if (categories.isEmpty()) {
            if (click.category() == null) {
                reason = "unknown item " + click.itemId() + " and the click carries no category";
            } else {
                categories = items.idOf(click.category()).map(id -> new int[] {id});
                if (categories.isEmpty()) {
                    reason =
                            "unknown item "
                                    + click.itemId()
                                    + " with unknown category '"
                                    + click.category()
                                    + "'";
                }
            }
        }
        if (reason == null) {
            mapped.inc();
            out.collect(
                    new CategorizedClick(
                            click.userId(),
                            click.itemId(),
                            click.epochSeconds(),
                            categories.get()));
        } else {
            unmapped.inc();
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            sourceTopic,
                            ClickJson.render(click),
                            reason,
                            ctx.timerService().currentProcessingTime()));
        }
    }
}
