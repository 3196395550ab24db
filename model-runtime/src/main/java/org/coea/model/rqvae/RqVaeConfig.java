package org.coea.model.rqvae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.coea.common.model.GroupCsid;

/**
 * The architecture and training rules of an RQ-VAE that turns user vectors h_u into Group CSIDs
 * (METHOD.md Eq. 2 / 6), saved next to the weights as JSON.
 *
 * <p>Build with {@link #builder()}: required {@code setInputDim} and {@code setLatentDim}, the rest
 * optional with the ML-1M defaults (L_q = 3 levels of K_cb = 16 codes, commitment 0.25).
 *
 * @param inputDim width of h_u (the CSA dimension d)
 * @param encoderHidden hidden widths of the encoder MLP, input side first (ReLU after each)
 * @param latentDim width of the latent z and of every codeword
 * @param decoderHidden hidden widths of the decoder MLP, latent side first (ReLU after each)
 * @param levels residual quantizer levels L_q (the CSID length)
 * @param codebookSize codes per level K
 * @param beta commitment weight of Eq. 2 (0.25)
 * @param seed seeds the weight initialisation, k-means and dead-code re-seeding
 * @param deadCodeSteps a code unused for this many consecutive optimizer steps is re-seeded (0
 *     disables the reset)
 * @param kmeansIterations the most Lloyd iterations of the codebook initialisation per level
 */
public record RqVaeConfig(
        int inputDim,
        List<Integer> encoderHidden,
        int latentDim,
        List<Integer> decoderHidden,
        int levels,
        int codebookSize,
        double beta,
        long seed,
        int deadCodeSteps,
        int kmeansIterations) {

    /** The config file name next to {@code model.safetensors}. */
    public static final String FILE = "rqvae-config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates the values and keeps unmodifiable copies of the hidden widths. */
    public RqVaeConfig {
        encoderHidden = List.copyOf(Objects.requireNonNull(encoderHidden, "encoderHidden"));
        decoderHidden = List.copyOf(Objects.requireNonNull(decoderHidden, "decoderHidden"));
        if (inputDim <= 0 || latentDim <= 0) {
            throw new IllegalArgumentException(
                    "input and latent dimensions must be positive, got "
                            + inputDim
                            + " and "
                            + latentDim);
        }
        for (int w : encoderHidden) {
            requirePositive("encoder hidden width", w);
        }
        for (int w : decoderHidden) {
            requirePositive("decoder hidden width", w);
        }
        requirePositive("levels", levels);
        if (codebookSize < 2 || codebookSize > GroupCsid.MAX_CODE + 1) {
            throw new IllegalArgumentException(
                    "codebook size must be in 2.."
                            + (GroupCsid.MAX_CODE + 1)
                            + " (a CSID code is 0.."
                            + GroupCsid.MAX_CODE
                            + "), got "
                            + codebookSize);
        }
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        if (deadCodeSteps < 0) {
            throw new IllegalArgumentException(
                    "deadCodeSteps must be >= 0 (0 disables), got " + deadCodeSteps);
        }
        requirePositive("kmeansIterations", kmeansIterations);
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    /** Starts a config. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .setInputDim(inputDim)
                .optEncoderHidden(encoderHidden)
                .setLatentDim(latentDim)
                .optDecoderHidden(decoderHidden)
                .optLevels(levels)
                .optCodebookSize(codebookSize)
                .optBeta(beta)
                .optSeed(seed)
                .optDeadCodeSteps(deadCodeSteps)
                .optKmeansIterations(kmeansIterations);
    }

    /** The JSON text (snake_case keys). */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", "rqvae");
        n.put("input_dim", inputDim);
        ArrayNode enc = n.putArray("encoder_hidden");
        encoderHidden.forEach(enc::add);
        n.put("latent_dim", latentDim);
        ArrayNode dec = n.putArray("decoder_hidden");
        decoderHidden.forEach(dec::add);
        n.put("levels", levels);
        n.put("codebook_size", codebookSize);
        n.put("beta", beta);
        n.put("seed", seed);
        n.put("dead_code_steps", deadCodeSteps);
        n.put("kmeans_iterations", kmeansIterations);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses the JSON text of {@link #toJson()}; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException naming the source and the key when a field is missing or
     *     invalid
     */
    public static RqVaeConfig parse(String json, String source) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(source + ": not a JSON object");
        }
        try {
            return new RqVaeConfig(
                    intField(n, "input_dim", source),
                    intList(n, "encoder_hidden", source),
                    intField(n, "latent_dim", source),
                    intList(n, "decoder_hidden", source),
                    intField(n, "levels", source),
                    intField(n, "codebook_size", source),
                    doubleField(n, "beta", source),
                    longField(n, "seed", source),
                    intField(n, "dead_code_steps", source),
                    intField(n, "kmeans_iterations", source));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) {
                throw e;
            }
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a config file. */
    public static RqVaeConfig load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes the config file (creating its directory). */
    public void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static JsonNode field(JsonNode n, String key, String source) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(source + ": missing \"" + key + "\"");
        }
        return v;
    }

    private static int intField(JsonNode n, String key, String source) {
        JsonNode v = field(n, key, source);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(source + ": non-integer \"" + key + "\"");
        }
        return v.asInt();
    }

    private static long longField(JsonNode n, String key, String source) {
        JsonNode v = field(n, key, source);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(source + ": non-integer \"" + key + "\"");
        }
        return v.asLong();
    }

    private static double doubleField(JsonNode n, String key, String source) {
        JsonNode v = field(n, key, source);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(source + ": non-numeric \"" + key + "\"");
        }
        return v.asDouble();
    }

    private static List<Integer> intList(JsonNode n, String key, String source) {
        JsonNode v = field(n, key, source);
        if (!v.isArray()) {
            throw new IllegalArgumentException(source + ": \"" + key + "\" is not an array");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw new IllegalArgumentException(
                        source + ": \"" + key + "\" holds a non-integer " + e);
            }
            out.add(e.asInt());
        }
        return out;
    }

    /** Builds an {@link RqVaeConfig}. */
    public static final class Builder {
        private int inputDim;
        private List<Integer> encoderHidden = List.of(128, 64);
        private int latentDim;
        private List<Integer> decoderHidden;
        private int levels = 3;
        private int codebookSize = 16;
        private double beta = 0.25;
        private long seed = 42;
        private int deadCodeSteps = 50;
        private int kmeansIterations = 50;

        private Builder() {}

        /** Width of h_u (required). */
        public Builder setInputDim(int inputDim) {
            this.inputDim = inputDim;
            return this;
        }

        /** Width of the latent z and the codewords (required). */
        public Builder setLatentDim(int latentDim) {
            this.latentDim = latentDim;
            return this;
        }

        /** Encoder hidden widths, input side first (default 128, 64; none for a linear map). */
        public Builder optEncoderHidden(List<Integer> widths) {
            this.encoderHidden = List.copyOf(widths);
            return this;
        }

        /** Encoder hidden widths, input side first. */
        public Builder optEncoderHidden(int... widths) {
            return optEncoderHidden(boxed(widths));
        }

        /** Decoder hidden widths, latent side first (default: the encoder's, reversed). */
        public Builder optDecoderHidden(List<Integer> widths) {
            this.decoderHidden = List.copyOf(widths);
            return this;
        }

        /** Decoder hidden widths, latent side first. */
        public Builder optDecoderHidden(int... widths) {
            return optDecoderHidden(boxed(widths));
        }

        /** Quantizer levels L_q (default 3). */
        public Builder optLevels(int levels) {
            this.levels = levels;
            return this;
        }

        /** Codes per level K (default 16; the industrial setting uses 64). */
        public Builder optCodebookSize(int codebookSize) {
            this.codebookSize = codebookSize;
            return this;
        }

        /** Commitment weight (default 0.25). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /** Seed (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Steps without use after which a code is re-seeded (default 50; 0 disables). */
        public Builder optDeadCodeSteps(int deadCodeSteps) {
            this.deadCodeSteps = deadCodeSteps;
            return this;
        }

        /** The most Lloyd iterations of the k-means initialisation (default 50). */
        public Builder optKmeansIterations(int kmeansIterations) {
            this.kmeansIterations = kmeansIterations;
            return this;
        }

        /** Validates and finishes the config. */
        public RqVaeConfig build() {
            List<Integer> decoder = decoderHidden;
            if (decoder == null) {
                List<Integer> reversed = new ArrayList<>(encoderHidden);
                java.util.Collections.reverse(reversed);
                decoder = reversed;
            }
            return new RqVaeConfig(
                    inputDim,
                    encoderHidden,
                    latentDim,
                    decoder,
                    levels,
                    codebookSize,
                    beta,
                    seed,
                    deadCodeSteps,
                    kmeansIterations);
        }

        private static List<Integer> boxed(int[] widths) {
            List<Integer> out = new ArrayList<>(widths.length);
            for (int w : widths) {
                out.add(w);
            }
            return out;
        }
    }
}
