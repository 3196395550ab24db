package org.coea.common.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.coea.common.ingest.Fields.BadField;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.EventType;
import org.coea.common.model.Item;
import org.coea.common.model.UserFeatures;

/**
 * Parses records of generic click logs (documented in {@code docs/data-formats.md}); every field
 * arrives as text, whether it came from CSV or from a Parquet column cast to string.
 */
public final class GenericLogParsers {
    /** Required event columns. */
    public static final List<String> EVENT_COLUMNS = List.of("user_id", "item_id", "ts");

    /** Optional event columns: {@code event_type} (click or exposure), {@code strength}. */
    public static final List<String> OPTIONAL_EVENT_COLUMNS = List.of("event_type", "strength");

    /** Required item columns; {@code categories} holds category names separated by {@code |}. */
    public static final List<String> ITEM_COLUMNS = List.of("item_id", "title", "categories");

    private static final Pattern PIPE = Pattern.compile("\\|");

    private GenericLogParsers() {}

    /**
     * Parses an event. A missing event type reads as a click; a missing strength reads as 1 for a
     * click and 0 for an exposure.
     */
    public static Parsed<BehaviorEvent> event(
            String userId, String itemId, String ts, String eventType, String strength) {
        try {
            long user = Fields.id("user id", userId);
            long item = Fields.id("item id", itemId);
            long seconds = Fields.timestamp(ts);
            EventType type;
            try {
                type =
                        eventType == null || eventType.isBlank()
                                ? EventType.CLICK
                                : EventType.parse(eventType);
            } catch (IllegalArgumentException e) {
                return Parsed.reject(e.getMessage());
            }
            double s =
                    strength == null || strength.isBlank()
                            ? (type == EventType.CLICK ? 1.0 : 0.0)
                            : Fields.number("strength", strength);
            if (s < 0) {
                return Parsed.reject("negative strength '" + strength.trim() + "'");
            }
            return Parsed.ok(new BehaviorEvent(user, item, seconds, type, s));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }

    /** Parses an item; categories are names separated by {@code |}, mapped as configured. */
    public static Parsed<Item> item(
            String itemId, String title, String categories, CategoryMapping mapping) {
        try {
            long id = Fields.id("item id", itemId);
            List<String> names = new ArrayList<>();
            if (categories != null) {
                for (String c : PIPE.split(categories)) {
                    if (!c.isBlank() && !names.contains(c.trim())) {
                        names.add(c.trim());
                    }
                }
            }
            if (names.isEmpty()) {
                return Parsed.reject("item " + id + " has no category");
            }
            return Parsed.ok(new Item(id, title == null ? "" : title.trim(), mapping.apply(names)));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }

    /** Parses a user row: the id plus every other non-empty column as a sparse feature. */
    public static Parsed<UserFeatures> user(String userId, Map<String, String> otherColumns) {
        try {
            long id = Fields.id("user id", userId);
            Map<String, String> features = new java.util.TreeMap<>();
            otherColumns.forEach(
                    (k, v) -> {
                        if (v != null && !v.isBlank()) {
                            features.put(k, v.trim());
                        }
                    });
            return Parsed.ok(new UserFeatures(id, features));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }
}
