package org.coea.flink.items;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.coea.common.ingest.ItemJsonParser;
import org.coea.common.ingest.Parsed;
import org.coea.common.model.ClickRecord;
import org.coea.common.model.Item;
import org.coea.flink.clicks.CategorizeClicksFunction;
import org.coea.flink.clicks.CategorizedClick;
import org.coea.flink.clicks.ClickJson;
import org.coea.flink.deadletter.DeadLetter;

/**
 * Maps clicks to category ids like {@link CategorizeClicksFunction}, with the items table kept up
 * to date from a compacted {@code items} topic: each topic record ({@link ItemJsonParser}) goes to
 * every parallel instance as broadcast state (checkpointed with the job) and overrides the table
 * the job started with. Category ids stay those of the starting table, so an item whose record
 * names a category the table does not know is rejected; a click is mapped with the items known when
 * it is processed.
 */
public class ItemUpdatesFunction
        extends BroadcastProcessFunction<ClickRecord, String, CategorizedClick> {
    private static final long serialVersionUID = 1L;

    /** The broadcast state: item id to category ids. */
    public static final MapStateDescriptor<Long, int[]> ITEMS =
            new MapStateDescriptor<>(
                    "items", Types.LONG, PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);

    /** The counter of item records applied. */
    public static final String ITEM_UPDATES_COUNTER = "itemUpdates";

    /** The counter of item records rejected. */
    public static final String ITEM_REJECTS_COUNTER = "itemUpdatesRejected";

    private final ItemCategories items;
    private final String clicksTopic;
    private final String itemsTopic;
    private transient Counter mapped;
    private transient Counter unmapped;
    private transient Counter itemUpdates;
    private transient Counter itemRejects;

    /** Maps with the starting table {@code items}, updated from {@code itemsTopic}. */
    public ItemUpdatesFunction(ItemCategories items, String clicksTopic, String itemsTopic) {
        this.items = Objects.requireNonNull(items, "items");
        this.clicksTopic = Objects.requireNonNull(clicksTopic, "clicksTopic");
        this.itemsTopic = Objects.requireNonNull(itemsTopic, "itemsTopic");
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        var metrics = getRuntimeContext().getMetricGroup();
        mapped = metrics.counter(CategorizeClicksFunction.MAPPED_COUNTER);
        unmapped = metrics.counter(CategorizeClicksFunction.UNMAPPED_COUNTER);
        itemUpdates = metrics.counter(ITEM_UPDATES_COUNTER);
        itemRejects = metrics.counter(ITEM_REJECTS_COUNTER);
    }

    @Override
    public void processElement(
            ClickRecord click, ReadOnlyContext ctx, Collector<CategorizedClick> out)
            throws Exception {
        ReadOnlyBroadcastState<Long, int[]> updated = ctx.getBroadcastState(ITEMS);
        int[] fromTopic = updated.get(click.itemId());
        Optional<int[]> categories =
                fromTopic != null ? Optional.of(fromTopic) : items.categoriesOf(click.itemId());
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
                    CategorizeClicksFunction.DEAD_LETTERS,
                    new DeadLetter(
                            clicksTopic,
                            ClickJson.render(click),
                            reason,
                            ctx.currentProcessingTime()));
        }
    }

    @Override
    public void processBroadcastElement(String record, Context ctx, Collector<CategorizedClick> out)
            throws Exception {
        Parsed<Item> parsed = ItemJsonParser.parse(record);
        String reason = parsed.isOk() ? null : parsed.reason();
        int[] ids = null;
        if (parsed.isOk()) {
            Item item = parsed.value();
            ids = new int[item.categories().size()];
            for (int i = 0; i < ids.length && reason == null; i++) {
                Optional<Integer> id = items.idOf(item.categories().get(i));
                if (id.isEmpty()) {
                    reason =
                            "item "
                                    + item.itemId()
                                    + " names category '"
                                    + item.categories().get(i)
                                    + "', unknown to the items table the job started with";
                } else {
                    ids[i] = id.get();
                }
            }
        }
        BroadcastState<Long, int[]> state = ctx.getBroadcastState(ITEMS);
        if (reason == null) {
            state.put(parsed.value().itemId(), ids);
            itemUpdates.inc();
        } else {
            itemRejects.inc();
            // every parallel instance sees the record; one of them reports it
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                ctx.output(
                        CategorizeClicksFunction.DEAD_LETTERS,
                        new DeadLetter(
                                itemsTopic,
                                record == null ? "" : record,
                                reason,
                                ctx.currentProcessingTime()));
            }
        }
    }
}
