package org.coea.flink.shortterm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A change of a user's short-term category set: one record of the {@code short-term-interests}
 * topic, {@code {"user": 1, "ts": <epoch s of the click that changed it>, "categories": [ordered
 * distinct ids, oldest first], "set": [sorted ids], "hash": "<16 hex digits>"}}.
 *
 * @param userId the user
 * @param epochSeconds the event time of the click that changed the set
 * @param categories ordered distinct category ids of the window, oldest first
 * @param set the sorted category ids
 * @param hash the {@code CategorySetHash} hex of the set, the novelty key's second part
 */
public record ShortTermUpdate(
        long userId, long epochSeconds, int[] categories, int[] set, String hash) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates the fields. */
    public ShortTermUpdate {
        Objects.requireNonNull(categories, "categories");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(hash, "hash");
    }

    /** The topic record. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("user", userId);
        n.put("ts", epochSeconds);
        ArrayNode c = n.putArray("categories");
        Arrays.stream(categories).forEach(c::add);
        ArrayNode s = n.putArray("set");
        Arrays.stream(set).forEach(s::add);
        n.put("hash", hash);
        return n.toString();
    }

    /** Reads a topic record. */
    public static ShortTermUpdate parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new ShortTermUpdate(
                    n.get("user").asLong(),
                    n.get("ts").asLong(),
                    ints(n.get("categories")),
                    ints(n.get("set")),
                    n.get("hash").asText());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a short-term update record: " + json, e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShortTermUpdate u
                && userId == u.userId
                && epochSeconds == u.epochSeconds
                && Arrays.equals(categories, u.categories)
                && Arrays.equals(set, u.set)
                && hash.equals(u.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, epochSeconds, Arrays.hashCode(set), hash);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
