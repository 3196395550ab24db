package org.coea.flink.shortterm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.coea.common.hash.CategorySetHash;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.flink.deadletter.DeadLetterJson;
import org.junit.jupiter.api.Test;

/** The JSON records of the output topics, as documented in docs/streaming.md. */
class TopicRecordsTest {

    @Test
    void shortTermUpdatesRoundTripInTheDocumentedShape() {
        ShortTermUpdate u =
                new ShortTermUpdate(
                        7,
                        1_743_552_000L,
                        new int[] {5, 2, 7},
                        new int[] {2, 5, 7},
                        CategorySetHash.hex(List.of(2, 5, 7)));
        assertThat(u.toJson())
                .isEqualTo(
                        "{\"user\":7,\"ts\":1743552000,\"categories\":[5,2,7],\"set\":[2,5,7],\"hash\":\""
                                + CategorySetHash.hex(List.of(2, 5, 7))
                                + "\"}");
        assertThat(ShortTermUpdate.parse(u.toJson())).isEqualTo(u);
        assertThat(new String(new UpdateSchemas.Key().serialize(u), StandardCharsets.UTF_8))
                .isEqualTo("7");
        assertThatThrownBy(() -> ShortTermUpdate.parse("{\"user\": 7}"))
                .hasMessageContaining("not a short-term update record");
    }

    @Test
    void deadLettersRoundTrip() {
        DeadLetter d = new DeadLetter("clicks", "{\"user\": }", "not JSON: x", 42);
        assertThat(DeadLetterJson.render(d))
                .isEqualTo(
                        "{\"source_topic\":\"clicks\",\"record\":\"{\\\"user\\\": }\",\"reason\":\"not JSON: x\",\"processing_time\":42}");
        assertThat(DeadLetterJson.parse(DeadLetterJson.render(d))).isEqualTo(d);
        assertThat(new String(new DeadLetterJson.Key().serialize(d), StandardCharsets.UTF_8))
                .isEqualTo("clicks");
    }
}
