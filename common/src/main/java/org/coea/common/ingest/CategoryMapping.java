package org.coea.common.ingest;

import java.util.List;

/** How an item with several genres maps to categories. */
public enum CategoryMapping {
    /** The item belongs to every listed genre. */
    ALL,
    /** The item belongs to its first listed genre only (ML-100K: the lowest genre index). */
    PRIMARY;

    /** Applies the mapping to an item's genres in listing order. */
    public List<String> apply(List<String> genres) {
        if (genres.isEmpty() || this == ALL) {
            return List.copyOf(genres);
        }
        return List.of(genres.get(0));
    }
}
