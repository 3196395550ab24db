package org.coea.common.model;

import java.util.Optional;

/**
 * One record of the {@code clicks} topic: who clicked what, when (Unix epoch seconds, UTC), and the
 * item's category when the producer sent one.
 *
 * @param userId the user, {@code >= 0}
 * @param itemId the item, {@code >= 0}
 * @param epochSeconds when the click happened, {@code >= 0}
 * @param category the category name, trimmed; {@code null} when the record carries none (a nullable
 *     field rather than an {@link Optional} so streaming engines serialise the record as a plain
 *     POJO)
 */
public record ClickRecord(long userId, long itemId, long epochSeconds, String category) {

    /** Validates the fields. */
    public ClickRecord {
        if (userId < 0 || itemId < 0) {
            throw new IllegalArgumentException("negative id in click " + userId + "/" + itemId);
        }
        if (epochSeconds < 0) {
            throw new IllegalArgumentException("negative timestamp " + epochSeconds);
        }
        if (category != null && (category.isBlank() || !category.equals(category.strip()))) {
            throw new IllegalArgumentException(
                    "category must be trimmed and non-blank (or null): '" + category + "'");
        }
    }

    /** The category, empty when the record carries none. */
    public Optional<String> optionalCategory() {
        return Optional.ofNullable(category);
    }

    /** The click as a behaviour event of strength 1. */
    public BehaviorEvent toEvent() {
        return new BehaviorEvent(userId, itemId, epochSeconds, EventType.CLICK, 1.0);
    }
}
