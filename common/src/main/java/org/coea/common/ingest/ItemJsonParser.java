package org.coea.common.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import org.coea.common.ingest.Fields.BadField;
import org.coea.common.model.Item;

/**
 * Parses one record of the items table as JSON lines or the {@code items} topic: {@code {"item":
 * <id>, "title": <text>, "categories": [<name>, ...]}}. {@code title} is optional; {@code
 * categories} is a non-empty array of non-blank names (duplicates dropped, order kept). Other
 * fields are ignored; duplicate keys and content after the object are rejected.
 */
public final class ItemJsonParser {
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private ItemJsonParser() {}

    /** Parses a record, or says why it is rejected. */
    public static Parsed<Item> parse(String record) {
        if (record == null || record.isBlank()) {
            return Parsed.reject("empty record");
        }
        JsonNode root;
        try {
            root = JSON.readTree(record);
        } catch (JsonProcessingException e) {
            return Parsed.reject("not JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            return Parsed.reject("not a JSON object");
        }
        try {
            JsonNode idNode = root.get("item");
            String idText = idNode == null || idNode.isNull() ? null : idNode.asText();
            if (idNode != null && idNode.isContainerNode()) {
                idText = idNode.toString();
            }
            long item = Fields.id("item id", idText);
            JsonNode cats = root.get("categories");
            if (cats == null || cats.isNull()) {
                return Parsed.reject("missing categories of item " + item);
            }
            if (!cats.isArray()) {
                return Parsed.reject("categories of item " + item + " is not an array");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode c : cats) {
                if (!c.isTextual() || c.textValue().isBlank()) {
                    return Parsed.reject("item " + item + " has a blank or non-text category " + c);
                }
                String name = c.textValue().strip();
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                return Parsed.reject("item " + item + " has no category");
            }
            JsonNode title = root.get("title");
            return Parsed.ok(
                    new Item(item, title == null || title.isNull() ? "" : title.asText(), names));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }
}
