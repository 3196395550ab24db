package org.coea.common.model;

import java.util.Objects;

/**
 * A category with its click volume and whether it is long-tail (the bottom share of categories by
 * click volume, see {@link org.coea.common.split.LongTail}).
 */
public record Category(int categoryId, String name, long clickVolume, boolean longTail) {

    /** Validates the fields. */
    public Category {
        Objects.requireNonNull(name, "name");
        if (categoryId < 0) {
            throw new IllegalArgumentException("negative category id " + categoryId);
        }
        if (clickVolume < 0) {
            throw new IllegalArgumentException("negative click volume for " + name);
        }
    }
}
