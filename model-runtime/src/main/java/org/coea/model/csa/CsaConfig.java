package org.coea.model.csa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hyper-parameters of the causal self-attention user encoder (DSIE, Eq. 1 / 4 / 5), saved next
 * to its weights as JSON. Build with {@link #builder()}: the vocabularies and the maximum length
 * are required, the rest defaults to METHOD.md (d = 64, 2 layers, 4 heads) with no dropout.
 *
 * @param numItems item vocabulary: items are {@code 1..numItems}, {@code 0} is padding
 * @param numFeatureValues sparse feature vocabulary: values {@code 1..numFeatureValues} over all
 *     fields, {@code 0} = absent
 * @param numFeatureFields feature ids per user (age, gender, occupation, ...)
 * @param maxLength L, the longest item history the encoder reads (the last L items)
 * @param hidden the embedding width d
 * @param layers N_l, the number of self-attention blocks
 * @param heads attention heads (divide {@code hidden})
 * @param dropout dropout rate while training (0 keeps training deterministic per seed)
 * @param seed seeds the initial weights
 */
public record CsaConfig(
        int numItems,
        int numFeatureValues,
        int numFeatureFields,
        int maxLength,
        int hidden,
        int layers,
        int heads,
        double dropout,
        long seed) {

    /** The model type written into the JSON, checked when reading it. */
    static final String MODEL_TYPE = "coea-csa";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates the values. */
    public CsaConfig {
        if (numItems < 2) {
            throw new IllegalArgumentException(
                    "num_items must be >= 2 (one negative per positive), got " + numItems);
        }
        if (numFeatureValues < 1 || numFeatureFields < 1) {
            throw new IllegalArgumentException(
                    "num_feature_values and num_feature_fields must be >= 1 (pass one all-absent"
                            + " field for users without features), got "
                            + numFeatureValues
                            + " and "
                            + numFeatureFields);
        }
        if (maxLength < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException(
                    "max_length, hidden and layers must be positive, got "
                            + maxLength
                            + ", "
                            + hidden
                            + ", "
                            + layers);
        }
        if (heads < 1 || hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden " + hidden + " is not a positive multiple of heads " + heads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** Starts a config. */
    public static Builder builder() {
        return new Builder();
    }

    /** The width of one attention head. */
    public int headDim() {
        return hidden / heads;
    }

    /** The JSON text of this config. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", MODEL_TYPE);
        n.put("num_items", numItems);
        n.put("num_feature_values", numFeatureValues);
        n.put("num_feature_fields", numFeatureFields);
        n.put("max_length", maxLength);
        n.put("hidden", hidden);
        n.put("layers", layers);
        n.put("heads", heads);
        n.put("dropout", dropout);
        n.put("seed", seed);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses the JSON text of a config; {@code source} names it in errors. The four sizes are
     * required, the rest take their defaults when missing.
     *
     * @throws IllegalArgumentException naming the source and the key when a field is missing or
     *     wrong
     */
    public static CsaConfig parse(String json, String source) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(source + ": not a JSON object");
        }
        JsonNode type = n.get("model_type");
        if (type != null && !MODEL_TYPE.equals(type.asText())) {
            throw new IllegalArgumentException(
                    source + ": model_type is \"" + type.asText() + "\", not " + MODEL_TYPE);
        }
        Builder b =
                builder()
                        .setNumItems(intField(n, "num_items", source))
                        .setNumFeatureValues(intField(n, "num_feature_values", source))
                        .setNumFeatureFields(intField(n, "num_feature_fields", source))
                        .setMaxLength(intField(n, "max_length", source));
        if (n.has("hidden")) {
            b.optHidden(intField(n, "hidden", source));
        }
        if (n.has("layers")) {
            b.optLayers(intField(n, "layers", source));
        }
        if (n.has("heads")) {
            b.optHeads(intField(n, "heads", source));
        }
        if (n.has("dropout")) {
            JsonNode v = n.get("dropout");
            if (!v.isNumber()) {
                throw new IllegalArgumentException(source + ": non-numeric \"dropout\"");
            }
            b.optDropout(v.asDouble());
        }
        if (n.has("seed")) {
            JsonNode v = n.get("seed");
            if (!v.canConvertToLong()) {
                throw new IllegalArgumentException(source + ": non-integer \"seed\"");
            }
            b.optSeed(v.asLong());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a config file. */
    public static CsaConfig load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes this config to a file, creating its directory. */
    public void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static int intField(JsonNode n, String key, String source) {
        JsonNode v = n.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(source + ": missing or non-integer \"" + key + "\"");
        }
        return v.asInt();
    }

    /** Builds a {@link CsaConfig}. */
    public static final class Builder {
        private int numItems;
        private int numFeatureValues;
        private int numFeatureFields;
        private int maxLength;
        private int hidden = 64;
        private int layers = 2;
        private int heads = 4;
        private double dropout = 0.0;
        private long seed = 42;

        Builder() {}

        /** Items {@code 1..numItems} (required). */
        public Builder setNumItems(int numItems) {
            this.numItems = numItems;
            return this;
        }

        /** Feature values {@code 1..numFeatureValues} over all fields (required). */
        public Builder setNumFeatureValues(int numFeatureValues) {
            this.numFeatureValues = numFeatureValues;
            return this;
        }

        /** Feature ids per user (required). */
        public Builder setNumFeatureFields(int numFeatureFields) {
            this.numFeatureFields = numFeatureFields;
            return this;
        }

        /** The longest history read, L (required). */
        public Builder setMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Width d (default 64). */
        public Builder optHidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /** Self-attention blocks (default 2). */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Attention heads (default 4). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Training dropout (default 0). */
        public Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Initialisation seed (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Finishes the config. */
        public CsaConfig build() {
            return new CsaConfig(
                    numItems,
                    numFeatureValues,
                    numFeatureFields,
                    maxLength,
                    hidden,
                    layers,
                    heads,
                    dropout,
                    seed);
        }
    }
}
