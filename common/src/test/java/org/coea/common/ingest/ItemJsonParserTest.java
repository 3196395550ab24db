package org.coea.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coea.common.model.Item;
import org.junit.jupiter.api.Test;

class ItemJsonParserTest {

    @Test
    void parsesItems() {
        assertThat(
                        ItemJsonParser.parse(
                                        "{\"item\": 3, \"title\": \"T\", \"categories\": [\"b\", \" a \", \"b\"], \"x\": 1}")
                                .value())
                .isEqualTo(new Item(3, "T", List.of("b", "a")));
        assertThat(ItemJsonParser.parse("{\"item\": \"4\", \"categories\": [\"a\"]}").value())
                .isEqualTo(new Item(4, "", List.of("a")));
    }

    @Test
    void eachBadRecordKindHasItsReason() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(" ", "empty record");
        bad.put("{\"item\": 1,", "not JSON");
        bad.put("[1]", "not a JSON object");
        bad.put("{\"categories\": [\"a\"]}", "missing item id");
        bad.put("{\"item\": \"x\", \"categories\": [\"a\"]}", "non-numeric item id 'x'");
        bad.put("{\"item\": 1}", "missing categories of item 1");
        bad.put("{\"item\": 1, \"categories\": \"a\"}", "categories of item 1 is not an array");
        bad.put("{\"item\": 1, \"categories\": []}", "item 1 has no category");
        bad.put("{\"item\": 1, \"categories\": [2]}", "item 1 has a blank or non-text category 2");
        bad.put("{\"item\": 1, \"item\": 2, \"categories\": [\"a\"]}", "not JSON: Duplicate field");
        bad.forEach(
                (record, reason) -> {
                    Parsed<Item> p = ItemJsonParser.parse(record);
                    assertThat(p.isOk()).as(record).isFalse();
                    assertThat(p.reason()).as(record).startsWith(reason);
                });
    }
}
