package org.coea.flink.lookup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.Objects;
import org.coea.common.ingest.Parsed;

/**
 * A request for a user's novel categories: {@code {"user": <id>, "set": [<category id>, ...]}},
 * where {@code set} (the current short-term set) is optional: absent, the stored set is used. A
 * {@code short-term-interests} record is a valid request, so the lookup can run on every update.
 *
 * @param userId the user id as text (the store's key)
 * @param set the current set; {@code null} when the request carries none
 */
public record LookupRequest(String userId, int[] set) {
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Validates the fields. */
    public LookupRequest {
        Objects.requireNonNull(userId, "userId");
    }

    /** Parses a request record, or says why it is rejected. */
    public static Parsed<LookupRequest> parse(String record) {
        if (record == null || record.isBlank()) {
            return Parsed.reject("empty record");
        }
        JsonNode root;
        try {
            root = JSON.readTree(record);
        } catch (JsonProcessingException e) {
            return Parsed.reject("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return Parsed.reject("not a JSON object");
        }
        JsonNode user = root.get("user");
        if (user == null || user.isNull()) {
            return Parsed.reject("missing user id");
        }
        if (!user.isValueNode()) {
            return Parsed.reject("user id is not a number or text: " + user);
        }
        String id = user.asText().strip();
        if (id.isEmpty() || id.length() > 256 || id.chars().anyMatch(Character::isISOControl)) {
            return Parsed.reject("bad user id '" + id + "'");
        }
        JsonNode set = root.get("set");
        if (set == null || set.isNull()) {
            return Parsed.ok(new LookupRequest(id, null));
        }
        if (!set.isArray()) {
            return Parsed.reject("set of user " + id + " is not an array");
        }
        int[] ids = new int[set.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode c = set.get(i);
            if (!c.isIntegralNumber() || !c.canConvertToInt() || c.intValue() < 0) {
                return Parsed.reject("set of user " + id + " holds a bad category id " + c);
            }
            ids[i] = c.intValue();
        }
        return Parsed.ok(new LookupRequest(id, ids));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LookupRequest r && userId.equals(r.userId) && Arrays.equals(set, r.set);
    }

    @Override
    public int hashCode() {
        return userId.hashCode() * 31 + Arrays.hashCode(set);
    }

    @Override
    public String toString() {
        return "LookupRequest[" + userId + ", " + Arrays.toString(set) + "]";
    }
}
