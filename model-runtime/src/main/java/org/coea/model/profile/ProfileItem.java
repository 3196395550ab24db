package org.coea.model.profile;

import java.util.List;
import java.util.Objects;

/**
 * One clicked item as the Profile prompt reads it: {@code "title (category, category)"}, or the
 * bare title when the item has no category.
 *
 * @param title the item's title
 * @param categories the item's category names, in the item's order
 */
public record ProfileItem(String title, List<String> categories) {
    /** Validates and copies the fields. */
    public ProfileItem {
        Objects.requireNonNull(title, "title");
        categories = List.copyOf(Objects.requireNonNull(categories, "categories"));
    }

    /** The item's line in the prompt. */
    public String text() {
        String t = title.strip();
        return categories.isEmpty() ? t : t + " (" + String.join(", ", categories) + ")";
    }
}
