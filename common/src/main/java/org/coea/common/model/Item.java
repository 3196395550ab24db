package org.coea.common.model;

import java.util.List;
import java.util.Objects;

/** A catalogue item with its title and the names of its categories (at least one). */
public record Item(long itemId, String title, List<String> categories) {

    /** Validates the fields and freezes the category list. */
    public Item {
        Objects.requireNonNull(title, "title");
        categories = List.copyOf(categories);
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("item " + itemId + " has no category");
        }
    }
}
