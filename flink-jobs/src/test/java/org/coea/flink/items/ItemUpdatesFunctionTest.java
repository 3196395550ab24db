package org.coea.flink.items;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.coea.common.model.ClickRecord;
import org.coea.common.model.Item;
import org.coea.flink.clicks.CategorizeClicksFunction;
import org.coea.flink.clicks.CategorizedClick;
import org.coea.flink.deadletter.DeadLetter;
import org.junit.jupiter.api.Test;

class ItemUpdatesFunctionTest {
    // ids by sorted name: Action 0, Comedy 1, Drama 2
    private static final ItemCategories START =
            ItemCategories.of(
                    List.of(
                            new Item(1, "a", List.of("Drama")),
                            new Item(2, "b", List.of("Comedy", "Action"))));

    @Test
    void topicRecordsOverrideAndExtendTheStartingTableAndBadOnesAreDeadLetters() throws Exception {
        BroadcastOperatorTestHarness<ClickRecord, String, CategorizedClick> h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new ItemUpdatesFunction(START, "clicks", "items"),
                        ItemUpdatesFunction.ITEMS);
        h.processElement(new ClickRecord(5, 1, 10, null), 0);
        h.processElement(new ClickRecord(5, 3, 11, null), 0); // not known yet
        h.processBroadcastElement("{\"item\": 1, \"categories\": [\"Action\", \"Comedy\"]}", 0);
        h.processBroadcastElement("{\"item\": 3, \"categories\": [\"Drama\"]}", 0);
        h.processBroadcastElement("{\"item\": 4, \"categories\": [\"Horror\"]}", 0);
        h.processBroadcastElement("{\"item\": 5}", 0);
        h.processElement(new ClickRecord(5, 1, 12, null), 0);
        h.processElement(new ClickRecord(5, 3, 13, null), 0);
        h.processElement(new ClickRecord(5, 2, 14, null), 0);
        h.processElement(new ClickRecord(5, 4, 15, null), 0);

        assertThat(h.extractOutputValues())
                .containsExactly(
                        new CategorizedClick(5, 1, 10, new int[] {2}),
                        new CategorizedClick(5, 1, 12, new int[] {0, 1}),
                        new CategorizedClick(5, 3, 13, new int[] {2}),
                        new CategorizedClick(5, 2, 14, new int[] {1, 0}));
        List<DeadLetter> dead =
                h.getSideOutput(CategorizeClicksFunction.DEAD_LETTERS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(dead)
                .extracting(DeadLetter::sourceTopic, DeadLetter::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "clicks", "unknown item 3 and the click carries no category"),
                        org.assertj.core.groups.Tuple.tuple(
                                "items",
                                "item 4 names category 'Horror', unknown to the items table the job started with"),
                        org.assertj.core.groups.Tuple.tuple(
                                "items", "missing categories of item 5"),
                        org.assertj.core.groups.Tuple.tuple(
                                "clicks", "unknown item 4 and the click carries no category"));
        assertThat(h.getBroadcastState(ItemUpdatesFunction.ITEMS).entries())
                .as("the broadcast state holds the applied records")
                .hasSize(2);
        h.close();
    }
}
