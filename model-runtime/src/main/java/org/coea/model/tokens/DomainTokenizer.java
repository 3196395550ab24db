package org.coea.model.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.coea.common.model.GroupCsid;

/**
 * The vocabulary of the tiny embedded model: special tokens, CSID code tokens and one token per
 * category, with ids fixed by the vocabulary's shape alone.
 *
 * <p>Ids, in order:
 *
 * <ol>
 *   <li>the {@link Special} tokens, id = ordinal: {@code <pad>}=0, {@code <eos>}=1, {@code
 *       <bos>}=2, {@code <sep>}=3, {@code <profile>}=4, {@code <recent>}=5, {@code <candidate>}=6,
 *       {@code <novelty>}=7, {@code <relevance>}=8, {@code <unk>}=9;
 *   <li>CSID code tokens {@code <L{level}:{code}>}, level-major: {@code <Ll:c>} has id {@code 10 +
 *       l * K + c} for levels {@code 0..L-1} and codes {@code 0..K-1};
 *   <li>category tokens in the order the categories are given (their dense category ids): category
 *       {@code i} has id {@code 10 + L * K + i}.
 * </ol>
 *
 * <p>A category token's text is the category name with each whitespace character replaced by {@code
 * '_'}, so that {@link #encode} can split text on spaces; {@link #category(int)} gives the original
 * name back. Token texts must be distinct. {@link #encode} maps an unknown word to {@code <unk>};
 * {@link #decode} joins token texts with single spaces.
 *
 * <p>{@link #save} and {@link #load} keep the vocabulary in a small JSON file next to a trained
 * model; loading checks that the stored token list equals the one this class derives, so a model
 * never runs with a vocabulary that shifted under it.
 */
public final class DomainTokenizer implements TokenCodec {
    /** The {@code format} value of the JSON file. */
    static final String FORMAT = "coea-domain-vocabulary";

    /** The {@code version} value of the JSON file. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The fixed special tokens; a token's id is its ordinal. */
    public enum Special {
        /** Fills batches; id 0. */
        PAD("<pad>"),
        /** Ends an answer. */
        EOS("<eos>"),
        /** Starts every prompt. */
        BOS("<bos>"),
        /** Ends the fields of a prompt. */
        SEP("<sep>"),
        /** Opens the group profile's categories. */
        PROFILE("<profile>"),
        /** Opens the recent short-term categories. */
        RECENT("<recent>"),
        /** Opens the candidate category of a Relevance prompt. */
        CANDIDATE("<candidate>"),
        /** Marks a Novelty prompt. */
        NOVELTY("<novelty>"),
        /** Marks a Relevance prompt. */
        RELEVANCE("<relevance>"),
        /** Stands for a word outside the vocabulary. */
        UNK("<unk>");

        private final String text;

        Special(String text) {
            this.text = text;
        }

        /** The token's text. */
        public String text() {
            return text;
        }

        /** The token's id. */
        public int id() {
            return ordinal();
        }
    }

    private final int csidLevels;
    private final int codebookSize;
    private final List<String> categories;
    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final Map<String, Integer> categoryIds;

    private DomainTokenizer(int csidLevels, int codebookSize, List<String> categories) {
        this.csidLevels = csidLevels;
        this.codebookSize = codebookSize;
        this.categories = List.copyOf(categories);
        List<String> t = new ArrayList<>();
        for (Special s : Special.values()) {
            t.add(s.text());
        }
        for (int level = 0; level < csidLevels; level++) {
            for (int code = 0; code < codebookSize; code++) {
                t.add(csidTokenText(level, code));
            }
        }
        Map<String, Integer> c = new HashMap<>();
        for (String name : this.categories) {
            if (name.isBlank()) {
                throw new IllegalArgumentException(
                        "category names must not be blank: '" + name + "'");
            }
            c.put(name, t.size());
            t.add(categoryText(name));
        }
        if (c.size() != this.categories.size()) {
            throw new IllegalArgumentException("duplicate category names in " + this.categories);
        }
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            Integer previous = m.put(t.get(i), i);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "token text '"
                                + t.get(i)
                                + "' would stand for both "
                                + describe(t, previous)
                                + " and "
                                + describe(t, i)
                                + "; rename the category");
            }
        }
        this.tokens = Collections.unmodifiableList(t);
        this.ids = m;
        this.categoryIds = c;
    }

    /** A builder; every setting is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The text of the CSID token for a code at a level: {@code <L1:7>}. */
    public static String csidTokenText(int level, int code) {
        return "<L" + level + ":" + code + ">";
    }

    /** The token text of a category name: whitespace becomes {@code '_'}. */
    public static String categoryText(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> sb.appendCodePoint(Character.isWhitespace(cp) ? '_' : cp));
        return sb.toString();
    }

    @Override
    public int[] encode(String text) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return new int[0];
        }
        String[] words = stripped.split("\\s+");
        int[] out = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            out[i] = ids.getOrDefault(words[i], Special.UNK.id());
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(token(id));
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return tokens.size();
    }

    @Override
    public int eosId() {
        return Special.EOS.id();
    }

    @Override
    public int padId() {
        return Special.PAD.id();
    }

    @Override
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * The text of one id.
     *
     * @throws IllegalArgumentException when the id is outside {@code [0, vocabSize())}
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException(
                    "token id " + id + " outside [0, " + tokens.size() + ")");
        }
        return tokens.get(id);
    }

    /**
     * The id of a category's token.
     *
     * @throws IllegalArgumentException naming the category when it is not in the vocabulary
     */
    public int categoryToken(String name) {
        Integer id = categoryIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException(
                    "unknown category '"
                            + name
                            + "' (the vocabulary has "
                            + categories.size()
                            + " categories)");
        }
        return id;
    }

    /** The category name of an id, or empty when the id is not a category token. */
    public Optional<String> category(int id) {
        int index = id - firstCategoryId();
        return index >= 0 && index < categories.size()
                ? Optional.of(categories.get(index))
                : Optional.empty();
    }

    /**
     * The code tokens of a CSID, first level first. A CSID may have fewer levels than the
     * vocabulary (a prefix CSID), not more.
     *
     * @throws IllegalArgumentException naming the CSID when it has too many levels or a code
     *     outside the codebook
     */
    public int[] csidTokens(GroupCsid csid) {
        if (csid.levels() > csidLevels) {
            throw new IllegalArgumentException(
                    "CSID "
                            + csid
                            + " has "
                            + csid.levels()
                            + " levels; the vocabulary has "
                            + csidLevels);
        }
        int[] out = new int[csid.levels()];
        for (int level = 0; level < out.length; level++) {
            int code = csid.code(level);
            if (code >= codebookSize) {
                throw new IllegalArgumentException(
                        "CSID "
                                + csid
                                + " has code "
                                + code
                                + " at level "
                                + level
                                + "; the codebook has "
                                + codebookSize
                                + " codes");
            }
            out[level] = Special.values().length + level * codebookSize + code;
        }
        return out;
    }

    /** The number of CSID levels the vocabulary holds codes for. */
    public int csidLevels() {
        return csidLevels;
    }

    /** The number of codes per CSID level. */
    public int codebookSize() {
        return codebookSize;
    }

    /** The category names, in id order. */
    public List<String> categories() {
        return categories;
    }

    /** Every token text, in id order. */
    public List<String> tokens() {
        return tokens;
    }

    /** The vocabulary as JSON: its shape and, for checking, every token text. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("csid_levels", csidLevels);
        root.put("codebook_size", codebookSize);
        ArrayNode c = root.putArray("categories");
        categories.forEach(c::add);
        ArrayNode t = root.putArray("tokens");
        tokens.forEach(t::add);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a vocabulary written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when the JSON is not such a vocabulary, or its tokens differ
     *     from those its shape gives
     */
    public static DomainTokenizer fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a domain vocabulary: " + e.getMessage(), e);
        }
        if (root == null
                || !FORMAT.equals(root.path("format").asText())
                || root.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException(
                    "not a domain vocabulary (expected format "
                            + FORMAT
                            + " version "
                            + VERSION
                            + ")");
        }
        List<String> categories = texts(root, "categories");
        DomainTokenizer tokenizer =
                builder()
                        .setCsidShape(
                                root.path("csid_levels").asInt(-1),
                                root.path("codebook_size").asInt(-1))
                        .setCategories(categories)
                        .build();
        List<String> stored = texts(root, "tokens");
        if (!stored.equals(tokenizer.tokens)) {
            throw new IllegalArgumentException(
                    "the stored tokens differ from those the vocabulary's shape gives ("
                            + stored.size()
                            + " stored, "
                            + tokenizer.tokens.size()
                            + " derived): the file was written by an incompatible version");
        }
        return tokenizer;
    }

    /** Writes {@link #toJson()} to a file. */
    public void save(Path file) {
        try {
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the vocabulary to " + file, e);
        }
    }

    /** Reads a vocabulary saved with {@link #save}. */
    public static DomainTokenizer load(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vocabulary " + file, e);
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainTokenizer other
                && csidLevels == other.csidLevels
                && codebookSize == other.codebookSize
                && categories.equals(other.categories);
    }

    @Override
    public int hashCode() {
        return Objects.hash(csidLevels, codebookSize, categories);
    }

    @Override
    public String toString() {
        return "DomainTokenizer[csidLevels="
                + csidLevels
                + ", codebookSize="
                + codebookSize
                + ", categories="
                + categories.size()
                + ", vocabSize="
                + tokens.size()
                + "]";
    }

    private int firstCategoryId() {
        return Special.values().length + csidLevels * codebookSize;
    }

    private String describe(List<String> t, int id) {
        if (id < Special.values().length) {
            return "a special token";
        }
        if (id < firstCategoryId()) {
            return "a CSID token";
        }
        return "category '" + categories.get(id - firstCategoryId()) + "'";
    }

    private static List<String> texts(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("domain vocabulary without a '" + field + "' list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException(
                        "domain vocabulary '" + field + "' holds a non-text entry: " + n);
            }
            out.add(n.asText());
        }
        return out;
    }

    /** Builds a {@link DomainTokenizer}: the CSID shape and the categories are required. */
    public static final class Builder {
        private boolean shapeSet;
        private int csidLevels;
        private int codebookSize;
        private List<String> categories;

        private Builder() {}

        /** The number of CSID levels (L) and codes per level (K). */
        public Builder setCsidShape(int levels, int codebookSize) {
            this.shapeSet = true;
            this.csidLevels = levels;
            this.codebookSize = codebookSize;
            return this;
        }

        /** The category names in category-id order. */
        public Builder setCategories(List<String> categories) {
            this.categories = List.copyOf(categories);
            return this;
        }

        /**
         * Builds the vocabulary.
         *
         * @throws IllegalStateException when a required setting is missing
         * @throws IllegalArgumentException when the shape is out of range or categories are blank,
         *     duplicated, or clash with another token's text
         */
        public DomainTokenizer build() {
            if (!shapeSet) {
                throw new IllegalStateException("DomainTokenizer needs setCsidShape(...)");
            }
            if (categories == null) {
                throw new IllegalStateException("DomainTokenizer needs setCategories(...)");
            }
            if (csidLevels < 1 || codebookSize < 1 || codebookSize > GroupCsid.MAX_CODE + 1) {
                throw new IllegalArgumentException(
                        "CSID shape needs levels >= 1 and 1 <= codebook size <= "
                                + (GroupCsid.MAX_CODE + 1)
                                + ": levels "
                                + csidLevels
                                + ", codebook size "
                                + codebookSize);
            }
            return new DomainTokenizer(csidLevels, codebookSize, categories);
        }
    }
}
