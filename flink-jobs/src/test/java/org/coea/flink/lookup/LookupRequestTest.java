package org.coea.flink.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.coea.common.ingest.Parsed;
import org.junit.jupiter.api.Test;

class LookupRequestTest {

    @Test
    void parsesRequestsAndShortTermUpdates() {
        assertThat(LookupRequest.parse("{\"user\": 7}").value())
                .isEqualTo(new LookupRequest("7", null));
        assertThat(LookupRequest.parse("{\"user\": \"u-7\", \"set\": [3, 1]}").value())
                .isEqualTo(new LookupRequest("u-7", new int[] {3, 1}));
        assertThat(
                        LookupRequest.parse(
                                        "{\"user\":7,\"ts\":1,\"categories\":[5,2],\"set\":[2,5],\"hash\":\"ab\"}")
                                .value())
                .as("a short-term-interests record is a request")
                .isEqualTo(new LookupRequest("7", new int[] {2, 5}));
        assertThat(LookupRequest.parse("{\"user\": 7, \"set\": null}").value().set()).isNull();
    }

    @Test
    void eachBadRequestKindHasItsReason() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("", "empty record");
        bad.put("{\"user\": ", "not JSON");
        bad.put("7", "not a JSON object");
        bad.put("{\"set\": [1]}", "missing user id");
        bad.put("{\"user\": null}", "missing user id");
        bad.put("{\"user\": [7]}", "user id is not a number or text: [7]");
        bad.put("{\"user\": \" \"}", "bad user id ''");
        bad.put("{\"user\": 7, \"set\": 3}", "set of user 7 is not an array");
        bad.put(
                "{\"user\": 7, \"set\": [1, \"x\"]}",
                "set of user 7 holds a bad category id \"x\"");
        bad.put("{\"user\": 7, \"set\": [-2]}", "set of user 7 holds a bad category id -2");
        bad.put("{\"user\": 7, \"set\": [1.5]}", "set of user 7 holds a bad category id 1.5");
        bad.put("{\"user\": 7, \"user\": 8}", "not JSON: Duplicate field 'user'");
        bad.forEach(
                (record, reason) -> {
                    Parsed<LookupRequest> p = LookupRequest.parse(record);
                    assertThat(p.isOk()).as(record).isFalse();
                    assertThat(p.reason()).as(record).startsWith(reason);
                });
    }
}
