package org.coea.flink.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.coea.common.model.ClickRecord;
import org.coea.common.model.Item;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.flink.items.ItemCategories;
import org.junit.jupiter.api.Test;

class CategorizeClicksFunctionTest {
    // ids by sorted name: Action 0, Comedy 1, Drama 2
    private static final ItemCategories ITEMS =
            ItemCategories.of(
                    List.of(
                            new Item(1, "a", List.of("Drama", "Action")),
                            new Item(2, "b", List.of("Comedy"))));

    @Test
    void mapsKnownItemsFallsBackToTheRecordsCategoryAndRejectsTheRest() throws Exception {
        OneInputStreamOperatorTestHarness<ClickRecord, CategorizedClick> h =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new CategorizeClicksFunction(ITEMS, "clicks"));
        h.processElement(new ClickRecord(5, 1, 10, "Comedy"), 0); // the table wins
        h.processElement(new ClickRecord(5, 9, 11, "Comedy"), 0); // unknown item, known name
        h.processElement(new ClickRecord(5, 9, 12, null), 0);
        h.processElement(new ClickRecord(5, 9, 13, "Horror"), 0);
        assertThat(h.extractOutputValues())
                .containsExactly(
                        new CategorizedClick(5, 1, 10, new int[] {2, 0}),
                        new CategorizedClick(5, 9, 11, new int[] {1}));
        List<DeadLetter> dead =
                h.getSideOutput(CategorizeClicksFunction.DEAD_LETTERS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(dead)
                .extracting(DeadLetter::reason)
                .containsExactly(
                        "unknown item 9 and the click carries no category",
                        "unknown item 9 with unknown category 'Horror'");
        assertThat(dead.get(1).rawRecord())
                .isEqualTo("{\"user\":5,\"item\":9,\"ts\":13,\"category\":\"Horror\"}");
        h.close();
    }
}
