package org.coea.model.tokens;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.Utils;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The text tokenizer of the production models: a HuggingFace {@code tokenizer.json} (Qwen2.5 or any
 * other) loaded through DJL from a local file, never downloaded.
 *
 * <p>DJL truncates to 512 tokens and pads by default; this wrapper turns both off, and adds no
 * special tokens, so {@link #encode} returns every token of the text and nothing else. Special
 * tokens written in the text ({@code <|im_start|>}, {@code <|im_end|>}, {@code <|endoftext|>}) map
 * to their single ids. The end-of-sequence token is {@code <|im_end|>} when the vocabulary has it
 * (Qwen instruction models end a turn with it), else {@code <|endoftext|>}; padding uses {@code
 * <|endoftext|>} as Qwen does, else the end-of-sequence token. Both can be chosen in the builder.
 *
 * <p>{@link #vocabSize()} and {@link #id(String)} come from the file's model vocabulary and added
 * tokens; the vocabulary size of Qwen2.5's tokenizer is below the model's 152064 embedding rows.
 * Vocabulary texts of byte-level BPE models are in the byte-to-unicode alphabet (a space reads
 * {@code "Ġ"}).
 *
 * <p>The native library unpacks from the DJL jar. On a CUDA host DJL would try to download a CUDA
 * build of it unless {@code RUST_FLAVOR=cpu} or offline mode is set, so building a tokenizer sets
 * the system property {@code RUST_FLAVOR=cpu} when neither the environment nor the system
 * properties choose a flavor: tokenization runs on the CPU in any case.
 */
public final class HfTextTokenizer implements TokenCodec, AutoCloseable {
    /** DJL's setting for which build of the tokenizer library to load. */
    static final String RUST_FLAVOR = "RUST_FLAVOR";

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;
    private final Map<String, Integer> vocabulary;
    private final int vocabSize;
    private final int eosId;
    private final int padId;

    private HfTextTokenizer(
            HuggingFaceTokenizer tokenizer,
            Path file,
            Map<String, Integer> vocabulary,
            int eosId,
            int padId) {
        this.tokenizer = tokenizer;
        this.file = file;
        this.vocabulary = vocabulary;
        this.vocabSize =
                vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.eosId = eosId;
        this.padId = padId;
    }

    /** A builder; the tokenizer file is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(
                        "token id " + ids[i] + " outside [0, " + vocabSize + ") of " + file);
            }
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, false);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public OptionalInt id(String token) {
        Integer id = vocabulary.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The {@code tokenizer.json} this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * The token texts and ids of a {@code tokenizer.json}: the model vocabulary (an object of text
     * to id for BPE, WordPiece and WordLevel; a list of {@code [text, score]} for Unigram) and the
     * added tokens, which win on a clash. Merges and other large parts are skipped, not read.
     */
    static Map<String, Integer> readVocabulary(InputStream in) throws IOException {
        Map<String, Integer> vocab = new HashMap<>();
        Map<String, Integer> added = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "tokenizer.json");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("added_tokens") && value == JsonToken.START_ARRAY) {
                    readAddedTokens(p, added);
                } else if (field.equals("model") && value == JsonToken.START_OBJECT) {
                    readModel(p, vocab);
                } else {
                    p.skipChildren();
                }
            }
        }
        vocab.putAll(added);
        return vocab;
    }

    private static void readAddedTokens(JsonParser p, Map<String, Integer> added)
            throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String content = null;
            Integer id = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("content")) {
                    content = p.getText();
                } else if (field.equals("id")) {
                    id = p.getIntValue();
                } else {
                    p.skipChildren();
                }
            }
            if (content == null || id == null) {
                throw new IOException("added token without content or id near " + location(p));
            }
            added.put(content, id);
        }
    }

    private static void readModel(JsonParser p, Map<String, Integer> vocab) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("vocab") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String text = p.currentName();
                    p.nextToken();
                    vocab.put(text, p.getIntValue());
                }
            } else if (field.equals("vocab") && value == JsonToken.START_ARRAY) {
                int id = 0;
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    p.nextToken();
                    vocab.put(p.getText(), id++);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String what)
            throws IOException {
        if (actual != expected) {
            throw new IOException(what + ": expected " + expected + " but found " + actual);
        }
    }

    private static String location(JsonParser p) {
        return "line " + p.currentLocation().getLineNr();
    }

    /** Builds an {@link HfTextTokenizer}: {@code setTokenizerPath} is required. */
    public static final class Builder {
        private Path path;
        private String eosToken;
        private String padToken;

        private Builder() {}

        /**
         * The {@code tokenizer.json} file, or a model directory that holds one (a HuggingFace
         * snapshot).
         */
        public Builder setTokenizerPath(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The end-of-sequence token, instead of {@code <|im_end|>} or {@code <|endoftext|>}. */
        public Builder optEosToken(String token) {
            this.eosToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /** The padding token, instead of {@code <|endoftext|>} or the end-of-sequence token. */
        public Builder optPadToken(String token) {
            this.padToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Loads the tokenizer.
         *
         * @throws IllegalStateException when no path was set
         * @throws IllegalArgumentException when the file is missing or a chosen token is not in it
         * @throws UncheckedIOException when the file cannot be read or parsed
         */
        public HfTextTokenizer build() {
            if (path == null) {
                throw new IllegalStateException("HfTextTokenizer needs setTokenizerPath(...)");
            }
            Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "no tokenizer file at "
                                + file
                                + " (the tokenizer is loaded from a local tokenizer.json, never"
                                + " downloaded)");
            }
            Map<String, Integer> vocabulary;
            try (InputStream in = Files.newInputStream(file)) {
                vocabulary = readVocabulary(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the vocabulary of " + file, e);
            }
            int eos;
            if (eosToken != null) {
                eos = lookup(vocabulary, file, "end-of-sequence", eosToken);
            } else if (vocabulary.containsKey(ChatMl.IM_END)) {
                eos = vocabulary.get(ChatMl.IM_END);
            } else if (vocabulary.containsKey(ChatMl.END_OF_TEXT)) {
                eos = vocabulary.get(ChatMl.END_OF_TEXT);
            } else {
                throw new IllegalArgumentException(
                        file
                                + " has neither "
                                + ChatMl.IM_END
                                + " nor "
                                + ChatMl.END_OF_TEXT
                                + ": choose the end-of-sequence token with optEosToken");
            }
            int pad =
                    padToken != null
                            ? lookup(vocabulary, file, "padding", padToken)
                            : vocabulary.getOrDefault(ChatMl.END_OF_TEXT, eos);
            if (Utils.getEnvOrSystemProperty(RUST_FLAVOR) == null) {
                System.setProperty(RUST_FLAVOR, "cpu");
            }
            HuggingFaceTokenizer hf;
            try {
                hf =
                        HuggingFaceTokenizer.builder()
                                .optTokenizerPath(file)
                                .optAddSpecialTokens(false)
                                .optTruncation(false)
                                .optPadding(false)
                                .build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the tokenizer " + file, e);
            }
            return new HfTextTokenizer(hf, file, Map.copyOf(vocabulary), eos, pad);
        }

        private static int lookup(
                Map<String, Integer> vocabulary, Path file, String role, String token) {
            Integer id = vocabulary.get(token);
            if (id == null) {
                throw new IllegalArgumentException(
                        "the " + role + " token '" + token + "' is not in " + file);
            }
            return id;
        }
    }
}
