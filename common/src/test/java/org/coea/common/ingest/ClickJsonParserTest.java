package org.coea.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.ClickRecord;
import org.coea.common.model.EventType;
import org.junit.jupiter.api.Test;

class ClickJsonParserTest {
    private static final long APRIL_2 = 1_743_552_000L;

    private static ClickRecord ok(String json) {
        Parsed<ClickRecord> p = ClickJsonParser.parse(json);
        assertThat(p.isOk()).as("%s parses, got %s", json, p).isTrue();
        return p.value();
    }

    private static String reason(String json) {
        Parsed<ClickRecord> p = ClickJsonParser.parse(json);
        assertThat(p.isOk()).as("%s is rejected, got %s", json, p).isFalse();
        return p.reason();
    }

    @Test
    void parsesEachTimestampForm() {
        assertThat(ok("{\"user\": 7, \"item\": 42, \"ts\": 1743552000}"))
                .isEqualTo(new ClickRecord(7, 42, APRIL_2, null));
        assertThat(ok("{\"user\": 7, \"item\": 42, \"ts\": 1743552000123}").epochSeconds())
                .isEqualTo(APRIL_2);
        assertThat(
                        ok("{\"user\": 7, \"item\": 42, \"ts\": \"2025-04-02T00:00:00Z\"}")
                                .epochSeconds())
                .isEqualTo(APRIL_2);
        assertThat(
                        ok("{\"user\": 7, \"item\": 42, \"ts\": \"2025-04-02T02:00:01+02:00\"}")
                                .epochSeconds())
                .isEqualTo(APRIL_2 + 1);
        assertThat(ok("{\"user\": 7, \"item\": 42, \"ts\": \"1743552000\"}").epochSeconds())
                .isEqualTo(APRIL_2);
    }

    @Test
    void readsCategoryIdsAsTextAndIgnoresExtraFields() {
        ClickRecord r =
                ok(
                        "{\"ts\": 1743552000, \"item\": \"42\", \"user\": \" 9007199254740993\","
                                + " \"category\": \" Food \", \"session\": {\"id\": 3}}");
        assertThat(r).isEqualTo(new ClickRecord(9_007_199_254_740_993L, 42, APRIL_2, "Food"));
        assertThat(r.optionalCategory()).contains("Food");
        assertThat(ok("{\"user\": 1, \"item\": 2, \"ts\": 3, \"category\": null}").category())
                .isNull();
        assertThat(ok("{\"user\": 1, \"item\": 2, \"ts\": 3, \"category\": \"  \"}").category())
                .isNull();
        assertThat(ok("{\"user\": 1, \"item\": 2, \"ts\": 3}").optionalCategory()).isEmpty();
        assertThat(ok("  {\"user\":0,\"item\":0,\"ts\":0}\n").toEvent())
                .isEqualTo(new BehaviorEvent(0, 0, 0, EventType.CLICK, 1.0));
    }

    @Test
    void rejectsWhatIsNotOneJsonObject() {
        assertThat(reason(null)).isEqualTo("empty record");
        assertThat(reason(" ")).isEqualTo("empty record");
        assertThat(reason("user=7,item=42")).startsWith("not JSON: Unrecognized token 'user'");
        assertThat(reason("{\"user\": 7, \"item\": 42"))
                .isEqualTo(
                        "not JSON: Unexpected end-of-input: expected close marker for Object"
                                + " (column 23)");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": 1} {}"))
                .isEqualTo("not JSON: content after the object (column 33)");
        assertThat(reason("{\"user\": 7, \"user\": 8, \"item\": 4, \"ts\": 1}"))
                .startsWith("not JSON: Duplicate field 'user'");
        assertThat(reason("[{\"user\": 7}]")).isEqualTo("not a JSON object");
        assertThat(reason("\"click\"")).isEqualTo("not a JSON object");
        assertThat(reason("42")).isEqualTo("not a JSON object");
    }

    @Test
    void rejectsEachBadIdKind() {
        assertThat(reason("{\"item\": 4, \"ts\": 1}")).isEqualTo("missing user id");
        assertThat(reason("{\"user\": null, \"item\": 4, \"ts\": 1}")).isEqualTo("missing user id");
        assertThat(reason("{\"user\": \"\", \"item\": 4, \"ts\": 1}")).isEqualTo("missing user id");
        assertThat(reason("{\"user\": 7, \"ts\": 1}")).isEqualTo("missing item id");
        assertThat(reason("{\"user\": \"u7\", \"item\": 4, \"ts\": 1}"))
                .isEqualTo("non-numeric user id 'u7'");
        assertThat(reason("{\"user\": 7.5, \"item\": 4, \"ts\": 1}"))
                .isEqualTo("non-numeric user id '7.5'");
        assertThat(reason("{\"user\": 7.0, \"item\": 4, \"ts\": 1}"))
                .isEqualTo("non-numeric user id '7.0'");
        assertThat(reason("{\"user\": true, \"item\": 4, \"ts\": 1}"))
                .isEqualTo("non-numeric user id 'true'");
        assertThat(reason("{\"user\": [7], \"item\": 4, \"ts\": 1}"))
                .isEqualTo("non-numeric user id '[7]'");
        assertThat(reason("{\"user\": 7, \"item\": -4, \"ts\": 1}"))
                .isEqualTo("negative item id '-4'");
        assertThat(reason("{\"user\": 9223372036854775808, \"item\": 4, \"ts\": 1}"))
                .isEqualTo("user id out of range '9223372036854775808'");
    }

    @Test
    void rejectsEachBadTimestampKind() {
        assertThat(reason("{\"user\": 7, \"item\": 4}")).isEqualTo("missing timestamp");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": null}"))
                .isEqualTo("missing timestamp");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": \"yesterday\"}"))
                .isEqualTo("bad timestamp 'yesterday'");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": \"2025-13-01T00:00:00Z\"}"))
                .isEqualTo("bad timestamp '2025-13-01T00:00:00Z'");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": 1743552000.5}"))
                .isEqualTo("bad timestamp '1743552000.5'");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": -5}"))
                .isEqualTo("timestamp out of range '-5'");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": 99999999999999999}"))
                .isEqualTo("timestamp out of range '99999999999999999'");
    }

    @Test
    void rejectsANonTextCategory() {
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": 1, \"category\": 12}"))
                .isEqualTo("non-text category '12'");
        assertThat(reason("{\"user\": 7, \"item\": 4, \"ts\": 1, \"category\": [\"a\"]}"))
                .isEqualTo("non-text category '[\"a\"]'");
    }

    @Test
    void clickRecordsHoldOnlyValidFields() {
        assertThatThrownBy(() -> new ClickRecord(-1, 2, 3, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClickRecord(1, 2, -3, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClickRecord(1, 2, 3, " Food")).hasMessageContaining("trimmed");
        assertThatThrownBy(() -> new ClickRecord(1, 2, 3, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
