package org.coea.model.tokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny byte-level BPE {@code tokenizer.json} in the shape of Qwen2.5's, for tests, with the
 * method that regenerates it ({@link #main}).
 *
 * <p>Ids 0-255 are the 256 bytes in GPT-2's byte-to-unicode alphabet, id = byte value (a space is
 * {@code "Ġ"} = 32, a newline {@code "Ċ"} = 10); ids 256-265 come from ten merges, so {@code "hello
 * world"} encodes as {@code [259, 264]} and {@code " x"} as {@code [265]}; ids 266-268 are the
 * special tokens {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}, as in Qwen. The
 * file also asks for truncation to 8 tokens and padding to 16, which the tokenizer must ignore.
 */
public final class TinyTokenizerFixture {
    /** The resource name, next to this class. */
    public static final String RESOURCE = "tiny-tokenizer.json";

    /** The merges, in rank order; merge i makes token 256 + i. */
    static final List<String> MERGES =
            List.of(
                    "h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld",
                    "Ġ x");

    /** Id of {@code "hello"}. */
    public static final int HELLO = 259;

    /** Id of {@code "Ġworld"}. */
    public static final int SPACE_WORLD = 264;

    /** Id of {@code "Ġx"}. */
    public static final int SPACE_X = 265;

    /** Id of {@code <|endoftext|>}. */
    public static final int END_OF_TEXT = 266;

    /** Id of {@code <|im_start|>}. */
    public static final int IM_START = 267;

    /** Id of {@code <|im_end|>}. */
    public static final int IM_END = 268;

    /** The vocabulary size. */
    public static final int VOCAB_SIZE = 269;

    private TinyTokenizerFixture() {}

    /** The fixture file on the test classpath. */
    public static Path path() {
        URL url = TinyTokenizerFixture.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + RESOURCE);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the fixture as a tokenizer. */
    public static HfTextTokenizer load() {
        return HfTextTokenizer.builder().setTokenizerPath(path()).build();
    }

    /** GPT-2's byte-to-unicode alphabet: the character that stands for each byte. */
    static char[] byteAlphabet() {
        List<Integer> printable = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            printable.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable.add(b);
        }
        char[] alphabet = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            alphabet[b] = printable.contains(b) ? (char) b : (char) next++;
        }
        return alphabet;
    }

    /** The fixture's JSON text. */
    static String generate() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        ObjectNode truncation = root.putObject("truncation");
        truncation.put("direction", "Right");
        truncation.put("max_length", 8);
        truncation.put("strategy", "LongestFirst");
        truncation.put("stride", 0);
        ObjectNode padding = root.putObject("padding");
        padding.putObject("strategy").put("Fixed", 16);
        padding.put("direction", "Right");
        padding.putNull("pad_to_multiple_of");
        padding.put("pad_id", END_OF_TEXT);
        padding.put("pad_type_id", 0);
        padding.put("pad_token", ChatMl.END_OF_TEXT);
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {ChatMl.END_OF_TEXT, ChatMl.IM_START, ChatMl.IM_END};
        for (int i = 0; i < specials.length; i++) {
            ObjectNode t = added.addObject();
            t.put("id", END_OF_TEXT + i);
            t.put("content", specials[i]);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(json, false));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(json, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        char[] alphabet = byteAlphabet();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(alphabet[b]), b);
        }
        for (int i = 0; i < MERGES.size(); i++) {
            vocab.put(MERGES.get(i).replace(" ", ""), 256 + i);
        }
        ArrayNode merges = model.putArray("merges");
        MERGES.forEach(merges::add);
        return json.writeValueAsString(root) + "\n";
    }

    private static ObjectNode byteLevel(ObjectMapper json, boolean addPrefixSpace) {
        ObjectNode node = json.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", addPrefixSpace);
        node.put("trim_offsets", true);
        node.put("use_regex", true);
        return node;
    }

    /**
     * Rewrites the fixture; run from the model-runtime directory, or pass the test resources root.
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        Path file = root.resolve("org/coea/model/tokens").resolve(RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, generate(), StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }
}
