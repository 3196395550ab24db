package org.coea.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.EventType;
import org.junit.jupiter.api.Test;

class GenericLogParsersTest {

    @Test
    void parsesEventWithDefaults() {
        assertThat(GenericLogParsers.event("7", "42", "1743552000", null, null).value())
                .isEqualTo(new BehaviorEvent(7, 42, 1743552000L, EventType.CLICK, 1.0));
        assertThat(GenericLogParsers.event("7", "42", "1743552000", "exposure", "").value())
                .isEqualTo(new BehaviorEvent(7, 42, 1743552000L, EventType.EXPOSURE, 0.0));
        assertThat(
                        GenericLogParsers.event("7", "42", "1743552000", "CLICK", "3")
                                .value()
                                .strength())
                .isEqualTo(3.0);
    }

    @Test
    void readsTimestampForms() throws Exception {
        assertThat(Fields.timestamp("1743552000")).isEqualTo(1743552000L);
        assertThat(Fields.timestamp("1743552000123")).isEqualTo(1743552000L);
        assertThat(Fields.timestamp("2025-04-02T00:00:00Z")).isEqualTo(1743552000L);
        assertThat(Fields.timestamp("2025-04-02T02:00:00+02:00")).isEqualTo(1743552000L);
        assertThat(Fields.timestamp("2025-04-02 00:00:01.5")).isEqualTo(1743552001L);
        assertThat(Fields.timestamp("2025-04-02T00:00:00")).isEqualTo(1743552000L);
    }

    @Test
    void rejectsEachBadEventKind() {
        assertThat(GenericLogParsers.event("", "42", "1", null, null).reason())
                .isEqualTo("missing user id");
        assertThat(GenericLogParsers.event("u7", "42", "1", null, null).reason())
                .isEqualTo("non-numeric user id 'u7'");
        assertThat(GenericLogParsers.event("7", "-4", "1", null, null).reason())
                .isEqualTo("negative item id '-4'");
        assertThat(GenericLogParsers.event("7", "4", "2025-13-01 00:00:00", null, null).reason())
                .isEqualTo("bad timestamp '2025-13-01 00:00:00'");
        assertThat(GenericLogParsers.event("7", "4", "99999999999999999", null, null).reason())
                .startsWith("timestamp out of range");
        assertThat(GenericLogParsers.event("7", "4", "1", "purchase", null).reason())
                .isEqualTo("unknown event type 'purchase' (expected click or exposure)");
        assertThat(GenericLogParsers.event("7", "4", "1", "click", "lots").reason())
                .isEqualTo("non-numeric strength 'lots'");
        assertThat(GenericLogParsers.event("7", "4", "1", "click", "-1").reason())
                .isEqualTo("negative strength '-1'");
    }

    @Test
    void parsesItemsAndUsers() {
        assertThat(
                        GenericLogParsers.item(
                                        "5", "Noodles", "food|asian|food", CategoryMapping.ALL)
                                .value()
                                .categories())
                .containsExactly("food", "asian");
        assertThat(GenericLogParsers.item("5", "Noodles", " | ", CategoryMapping.ALL).reason())
                .isEqualTo("item 5 has no category");
        assertThat(GenericLogParsers.user("9", Map.of("city", "SH", "age", " ")).value().fields())
                .isEqualTo(Map.of("city", "SH"));
    }

    @Test
    void splitsCsvLinesWithQuotes() {
        assertThat(CsvLines.fields("1,\"Crime, Noir\",a|b").value())
                .containsExactly("1", "Crime, Noir", "a|b");
        assertThat(CsvLines.fields("1,\"open").isOk()).isFalse();
    }
}
