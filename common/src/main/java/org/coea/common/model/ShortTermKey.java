package org.coea.common.model;

import java.util.Collection;
import org.coea.common.hash.CategorySetHash;

/**
 * The key of the novelty table: {@code CSID + ":" + hash(short-term category set)}, for example
 * {@code "003-014-007:9e3c4a1f0b2d7c55"}. The hash is {@link CategorySetHash}: order and duplicates
 * in the set do not matter.
 */
public final class ShortTermKey {
    private ShortTermKey() {}

    /** Renders the key for a CSID and a category set. */
    public static String of(GroupCsid csid, Collection<Integer> categoryIds) {
        return csid + ":" + CategorySetHash.hex(categoryIds);
    }
}
