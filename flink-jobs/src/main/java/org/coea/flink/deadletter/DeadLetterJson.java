package org.coea.flink.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * The {@code dead-letter} topic record: {@code {"source_topic": ..., "record": <raw text>,
 * "reason": ..., "processing_time": <epoch ms>}}.
 */
public final class DeadLetterJson implements SerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON text of a dead letter. */
    public static String render(DeadLetter d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("source_topic", d.sourceTopic());
        n.put("record", d.rawRecord());
        n.put("reason", d.reason());
        n.put("processing_time", d.processingTimeMillis());
        return n.toString();
    }

    /** Reads a rendered dead letter back. */
    public static DeadLetter parse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return new DeadLetter(
                    n.get("source_topic").asText(),
                    n.get("record").asText(),
                    n.get("reason").asText(),
                    n.get("processing_time").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("not a dead-letter record: " + text, e);
        }
    }

    /** The Kafka key of a dead letter: its source topic. */
    public static final class Key implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter d) {
            return d.sourceTopic().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public byte[] serialize(DeadLetter element) {
        return render(element).getBytes(StandardCharsets.UTF_8);
    }
}
