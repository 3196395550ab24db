package org.coea.common.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Pattern;
import org.coea.common.ingest.Fields.BadField;
import org.coea.common.model.ClickRecord;

/**
 * Parses one record of the {@code clicks} topic: a JSON object {@code {"user": <id>, "item": <id>,
 * "ts": <time>, "category": <name>}}.
 *
 * <p>Ids are non-negative 64-bit integers, as JSON numbers or numeric strings. {@code ts} is epoch
 * seconds, epoch milliseconds (at or above 10^11) or an ISO-8601 string, read by {@link
 * Fields#timestamp(String)}. {@code category} is optional: absent, {@code null} or blank means
 * none. Other fields are ignored so producers can add some; duplicate keys and anything after the
 * object are rejected, since they leave the record ambiguous.
 */
public final class ClickJsonParser {
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private static final Pattern START_MARKER = Pattern.compile(" \\(start marker at \\[.*?]\\)");

    private ClickJsonParser() {}

    /** Parses a record, or says why it is rejected. */
    public static Parsed<ClickRecord> parse(String record) {
        if (record == null || record.isBlank()) {
            return Parsed.reject("empty record");
        }
        JsonNode root;
        try {
            root = JSON.readTree(record);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null
                            ? ""
                            : " (column " + e.getLocation().getColumnNr() + ")";
            return Parsed.reject("not JSON: " + shortMessage(e) + where);
        }
        if (!root.isObject()) {
            return Parsed.reject("not a JSON object");
        }
        try {
            long user = id(root, "user", "user id");
            long item = id(root, "item", "item id");
            long seconds = Fields.timestamp(text(root.get("ts")));
            return Parsed.ok(new ClickRecord(user, item, seconds, category(root.get("category"))));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }

    /** Jackson's message without the parser internals it names. */
    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m.startsWith("Trailing token")) {
            return "content after the object";
        }
        return START_MARKER.matcher(m).replaceAll("");
    }

    private static long id(JsonNode root, String field, String what) throws BadField {
        JsonNode node = root.get(field);
        if (node != null && node.isIntegralNumber() && !node.canConvertToLong()) {
            throw new BadField(what + " out of range '" + node.asText() + "'");
        }
        return Fields.id(what, text(node));
    }

    private static String category(JsonNode node) throws BadField {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadField("non-text category '" + text(node) + "'");
        }
        String name = node.textValue().strip();
        return name.isEmpty() ? null : name;
    }

    /** The text a field reader sees: null when absent, plain decimals for fractional numbers. */
    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isFloatingPointNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
