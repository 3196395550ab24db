package org.coea.flink.lookup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyRetriever;

/**
 * The {@code novel-categories} topic record: {@code {"user": "1", "csid": "003-014-007",
 * "cold_start": false, "key": "003-014-007:9e3c...", "categories": [{"id": 3, "score": 0.91}],
 * "model_version": "v-0003"}}; {@code csid} and {@code key} are null when the user is unknown and
 * the store has no default CSID.
 */
public final class NoveltyAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NoveltyAnswers() {}

    /** The JSON text of an answer. */
    public static String render(NoveltyRetriever.Answer a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("user", a.userId());
        n.put("csid", a.csid().map(Object::toString).orElse(null));
        n.put("cold_start", a.coldStart());
        n.put("key", a.key().map(Object::toString).orElse(null));
        ArrayNode cats = n.putArray("categories");
        for (NovelCategory c : a.categories()) {
            cats.addObject().put("id", c.categoryId()).put("score", c.score());
        }
        n.put("model_version", a.modelVersion());
        return n.toString();
    }

    /** The Kafka key: the user id. */
    public static final class Key implements SerializationSchema<NoveltyRetriever.Answer> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(NoveltyRetriever.Answer a) {
            return a.userId().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The Kafka value: {@link #render}. */
    public static final class Value implements SerializationSchema<NoveltyRetriever.Answer> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(NoveltyRetriever.Answer a) {
            return render(a).getBytes(StandardCharsets.UTF_8);
        }
    }
}
