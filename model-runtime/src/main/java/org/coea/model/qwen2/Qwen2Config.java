package org.coea.model.qwen2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture hyper-parameters of a Qwen2 model, read from (and written as) a HuggingFace
 * {@code config.json}.
 *
 * @param vocabSize token vocabulary size
 * @param hiddenSize model width d
 * @param intermediateSize SwiGLU inner width
 * @param numHiddenLayers decoder layers
 * @param numAttentionHeads query heads
 * @param numKeyValueHeads key/value heads (grouped-query attention; divides the query heads)
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta rotary base theta
 * @param tieWordEmbeddings whether {@code lm_head} shares {@code embed_tokens}
 * @param maxPositionEmbeddings the longest sequence the model is meant for
 */
public record Qwen2Config(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        double rmsNormEps,
        double ropeTheta,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates the shape relations. */
    public Qwen2Config {
        if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0) {
            throw new IllegalArgumentException("Qwen2 sizes must be positive");
        }
        if (numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size "
                            + hiddenSize
                            + " is not a multiple of num_attention_heads "
                            + numAttentionHeads);
        }
        if (numKeyValueHeads <= 0 || numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException(
                    "num_attention_heads "
                            + numAttentionHeads
                            + " is not a multiple of num_key_value_heads "
                            + numKeyValueHeads);
        }
        if ((hiddenSize / numAttentionHeads) % 2 != 0) {
            throw new IllegalArgumentException(
                    "the head dimension must be even for rotary positions");
        }
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Query heads per key/value head. */
    public int groups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /**
     * Reads a HuggingFace {@code config.json}.
     *
     * @throws IllegalArgumentException naming the file and the key when a field is missing
     */
    public static Qwen2Config load(Path configJson) {
        try {
            return parse(Files.readString(configJson), configJson.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configJson, e);
        }
    }

    /** Parses the JSON text of a {@code config.json}; {@code source} names it in errors. */
    public static Qwen2Config parse(String json, String source) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
        int heads = intField(n, "num_attention_heads", source);
        return new Qwen2Config(
                intField(n, "vocab_size", source),
                intField(n, "hidden_size", source),
                intField(n, "intermediate_size", source),
                intField(n, "num_hidden_layers", source),
                heads,
                n.has("num_key_value_heads") ? intField(n, "num_key_value_heads", source) : heads,
                n.path("rms_norm_eps").asDouble(1e-6),
                n.path("rope_theta").asDouble(10000.0),
                n.path("tie_word_embeddings").asBoolean(false),
                n.path("max_position_embeddings").asInt(32768));
    }

    private static int intField(JsonNode n, String key, String source) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(source + ": missing or non-integer \"" + key + "\"");
        }
        return v.asInt();
    }

    /** The {@code config.json} text, with the fields HuggingFace needs to load it as Qwen2. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("Qwen2ForCausalLM");
        n.put("model_type", "qwen2");
        n.put("vocab_size", vocabSize);
        n.put("hidden_size", hiddenSize);
        n.put("intermediate_size", intermediateSize);
        n.put("num_hidden_layers", numHiddenLayers);
        n.put("num_attention_heads", numAttentionHeads);
        n.put("num_key_value_heads", numKeyValueHeads);
        n.put("rms_norm_eps", rmsNormEps);
        n.put("rope_theta", ropeTheta);
        n.put("tie_word_embeddings", tieWordEmbeddings);
        n.put("max_position_embeddings", maxPositionEmbeddings);
        n.put("hidden_act", "silu");
        n.put("torch_dtype", "float32");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
