package org.coea.spark.csa;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Dense indices for the encoder: items 1..N in item-id order (0 = padding), sparse features as
 * {@code field=value} strings 1..F in string order per field list (0 = absent), one id per field.
 */
public final class CsaVocabulary implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long[] items;
    private final List<String> fields;
    private final List<String> features;
    private transient Map<Long, Integer> itemIndex;
    private transient Map<String, Integer> featureIndex;

    private CsaVocabulary(long[] items, List<String> fields, List<String> features) {
        this.items = items;
        this.fields = List.copyOf(fields);
        this.features = List.copyOf(features);
    }

    /** A vocabulary over these item ids and feature maps. */
    public static CsaVocabulary of(
            Iterable<Long> itemIds, Iterable<Map<String, String>> featureMaps) {
        TreeSet<Long> ids = new TreeSet<>();
        itemIds.forEach(ids::add);
        TreeSet<String> fieldSet = new TreeSet<>();
        TreeSet<String> values = new TreeSet<>();
        for (Map<String, String> f : featureMaps) {
            f.forEach(
                    (k, v) -> {
                        fieldSet.add(k);
                        values.add(k + "=" + v);
                    });
        }
        if (fieldSet.isEmpty()) {
            fieldSet.add("none");
        }
        return new CsaVocabulary(
                ids.stream().mapToLong(Long::longValue).toArray(),
                new ArrayList<>(fieldSet),
                new ArrayList<>(values));
    }

    /** Number of items (indices 1..N). */
    public int numItems() {
        return items.length;
    }

    /** Number of feature values (indices 1..F). */
    public int numFeatureValues() {
        return Math.max(1, features.size());
    }

    /** Number of feature fields. */
    public int numFeatureFields() {
        return fields.size();
    }

    /** The index of an item, 0 when unknown. */
    public int item(long itemId) {
        if (itemIndex == null) {
            Map<Long, Integer> m = new HashMap<>();
            for (int i = 0; i < items.length; i++) {
                m.put(items[i], i + 1);
            }
            itemIndex = m;
        }
        return itemIndex.getOrDefault(itemId, 0);
    }

    /** The item indices of a sequence, unknown items left out. */
    public int[] items(List<Long> itemIds) {
        return itemIds.stream().mapToInt(this::item).filter(i -> i > 0).toArray();
    }

    /** One feature id per field (0 when the user lacks the field or the value is unknown). */
    public int[] features(Map<String, String> userFeatures) {
        if (featureIndex == null) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < features.size(); i++) {
                m.put(features.get(i), i + 1);
            }
            featureIndex = m;
        }
        int[] out = new int[fields.size()];
        for (int f = 0; f < out.length; f++) {
            String v = userFeatures == null ? null : userFeatures.get(fields.get(f));
            out[f] = v == null ? 0 : featureIndex.getOrDefault(fields.get(f) + "=" + v, 0);
        }
        return out;
    }

    /** The JSON form saved beside the model. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(
                    Map.of("items", items, "fields", fields, "features", features));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the JSON form. */
    @SuppressWarnings("unchecked")
    public static CsaVocabulary parse(String json) {
        try {
            Map<String, Object> m = JSON.readValue(json, Map.class);
            List<Number> ids = (List<Number>) m.get("items");
            return new CsaVocabulary(
                    ids.stream().mapToLong(Number::longValue).toArray(),
                    (List<String>) m.get("fields"),
                    (List<String>) m.get("features"));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a CSA vocabulary: " + e.getMessage(), e);
        }
    }
}
