package org.coea.common.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sparse user features (for example gender, age, occupation), field name to value; absent fields
 * are simply missing. These feed the prepended feature embedding of the CSA encoder.
 */
public record UserFeatures(long userId, Map<String, String> fields) {

    /** Freezes the fields in key order so equal features compare and print equal. */
    public UserFeatures {
        fields = java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
    }
}
