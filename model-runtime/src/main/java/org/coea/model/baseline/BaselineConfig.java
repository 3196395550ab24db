package org.coea.model.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters of a trained baseline.
 *
 * @param model {@value Gru4Rec#MODEL_TYPE} or {@value TwoTower#MODEL_TYPE}
 * @param numItems item ids are {@code 1..numItems}; 0 is padding
 * @param hidden the embedding and hidden width d
 * @param maxLength the most recent items of a sequence the model reads
 * @param dropout dropout on the item embeddings while training
 * @param temperature the two-tower softmax temperature (scores are cosine / temperature)
 * @param seed seeds the initial weights
 */
public record BaselineConfig(
        String model,
        int numItems,
        int hidden,
        int maxLength,
        double dropout,
        double temperature,
        long seed) {
    /** The file a saved model keeps its config in. */
    public static final String FILE = "baseline-config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks the values. */
    public BaselineConfig {
        if (!Gru4Rec.MODEL_TYPE.equals(model) && !TwoTower.MODEL_TYPE.equals(model)) {
            throw new IllegalArgumentException(
                    "model must be " + Gru4Rec.MODEL_TYPE + " or " + TwoTower.MODEL_TYPE);
        }
        if (numItems < 1 || hidden < 1 || maxLength < 1) {
            throw new IllegalArgumentException(
                    "numItems, hidden and maxLength must be positive, got "
                            + numItems
                            + ", "
                            + hidden
                            + ", "
                            + maxLength);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
    }

    /** Writes the config as JSON. */
    public void save(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", model);
        m.put("num_items", numItems);
        m.put("hidden", hidden);
        m.put("max_length", maxLength);
        m.put("dropout", dropout);
        m.put("temperature", temperature);
        m.put("seed", seed);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(
                    file,
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads a config written by {@link #save}. */
    public static BaselineConfig load(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new BaselineConfig(
                    n.path("model_type").asText(),
                    n.path("num_items").asInt(),
                    n.path("hidden").asInt(),
                    n.path("max_length").asInt(),
                    n.path("dropout").asDouble(),
                    n.path("temperature").asDouble(1.0),
                    n.path("seed").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
