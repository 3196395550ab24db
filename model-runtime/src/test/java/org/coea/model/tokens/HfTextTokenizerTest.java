package org.coea.model.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.util.Utils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTextTokenizerTest {
    private static HfTextTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = TinyTokenizerFixture.load();
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void encodesAKnownStringToExactIds() {
        assertThat(tokenizer.encode("hello world"))
                .containsExactly(TinyTokenizerFixture.HELLO, TinyTokenizerFixture.SPACE_WORLD);
        assertThat(tokenizer.encode("hello, world!"))
                .containsExactly(
                        TinyTokenizerFixture.HELLO, ',', TinyTokenizerFixture.SPACE_WORLD, '!');
        assertThat(tokenizer.encode("")).isEmpty();
    }

    @Test
    void specialTokensInTextMapToTheirSingleIds() {
        assertThat(tokenizer.encode("<|im_start|>user\nhello<|im_end|>\n<|endoftext|>"))
                .containsExactly(
                        TinyTokenizerFixture.IM_START,
                        'u',
                        's',
                        'e',
                        'r',
                        '\n',
                        TinyTokenizerFixture.HELLO,
                        TinyTokenizerFixture.IM_END,
                        '\n',
                        TinyTokenizerFixture.END_OF_TEXT);
        assertThat(tokenizer.id(ChatMl.IM_START)).hasValue(TinyTokenizerFixture.IM_START);
        assertThat(tokenizer.id(ChatMl.IM_END)).hasValue(TinyTokenizerFixture.IM_END);
        assertThat(tokenizer.id(ChatMl.END_OF_TEXT)).hasValue(TinyTokenizerFixture.END_OF_TEXT);
    }

    @Test
    void neitherTruncatesNorPadsEvenWhenTheFileAsksTo() throws Exception {
        String file = Files.readString(TinyTokenizerFixture.path());
        assertThat(file).as("the fixture asks for truncation").contains("\"max_length\" : 8");
        StringBuilder text = new StringBuilder("x");
        for (int i = 1; i < 700; i++) {
            text.append(" x");
        }
        int[] ids = tokenizer.encode(text.toString());
        assertThat(ids).hasSize(700);
        assertThat(ids[0]).isEqualTo('x');
        assertThat(Arrays.stream(ids, 1, ids.length).distinct().toArray())
                .containsExactly(TinyTokenizerFixture.SPACE_X);
        assertThat(tokenizer.encode("hello")).containsExactly(TinyTokenizerFixture.HELLO);
    }

    @Test
    void decodesIdsBackToTheTextWithSpecialTokens() {
        String text = "<|im_start|>system\nSay hello, world: Ünïcode ✓<|im_end|>\n";
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        assertThatThrownBy(() -> tokenizer.decode(new int[] {TinyTokenizerFixture.VOCAB_SIZE}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("269");
        assertThatThrownBy(() -> tokenizer.decode(new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolvesVocabularySizeEosAndPadFromTheFile() {
        assertThat(tokenizer.vocabSize()).isEqualTo(TinyTokenizerFixture.VOCAB_SIZE);
        assertThat(tokenizer.eosId()).isEqualTo(TinyTokenizerFixture.IM_END);
        assertThat(tokenizer.padId()).isEqualTo(TinyTokenizerFixture.END_OF_TEXT);
        assertThat(tokenizer.id("hello")).hasValue(TinyTokenizerFixture.HELLO);
        assertThat(tokenizer.id("Ġ")).hasValue(' ');
        assertThat(tokenizer.id("nope")).isEmpty();
    }

    @Test
    void loadsTheCpuBuildOfTheNativeLibraryUnlessAFlavorIsChosen() {
        String env = System.getenv(HfTextTokenizer.RUST_FLAVOR);
        assertThat(Utils.getEnvOrSystemProperty(HfTextTokenizer.RUST_FLAVOR))
                .as("a CUDA flavor would make DJL download a CUDA build of the library")
                .isEqualTo(env == null || env.isEmpty() ? "cpu" : env);
    }

    @Test
    void eosAndPadCanBeChosen() {
        try (HfTextTokenizer t =
                HfTextTokenizer.builder()
                        .setTokenizerPath(TinyTokenizerFixture.path())
                        .optEosToken(ChatMl.END_OF_TEXT)
                        .optPadToken("hello")
                        .build()) {
            assertThat(t.eosId()).isEqualTo(TinyTokenizerFixture.END_OF_TEXT);
            assertThat(t.padId()).isEqualTo(TinyTokenizerFixture.HELLO);
        }
        assertThatThrownBy(
                        () ->
                                HfTextTokenizer.builder()
                                        .setTokenizerPath(TinyTokenizerFixture.path())
                                        .optEosToken("</s>")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'</s>'");
    }

    @Test
    void loadsFromAModelDirectory(@TempDir Path dir) throws Exception {
        Files.copy(TinyTokenizerFixture.path(), dir.resolve("tokenizer.json"));
        try (HfTextTokenizer t = HfTextTokenizer.builder().setTokenizerPath(dir).build()) {
            assertThat(t.file()).isEqualTo(dir.resolve("tokenizer.json"));
            assertThat(t.encode("hello world"))
                    .containsExactly(TinyTokenizerFixture.HELLO, TinyTokenizerFixture.SPACE_WORLD);
        }
    }

    @Test
    void failsClearlyWithoutALocalFile(@TempDir Path dir) {
        assertThatThrownBy(
                        () ->
                                HfTextTokenizer.builder()
                                        .setTokenizerPath(dir.resolve("Qwen/Qwen2.5-7B"))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tokenizer file")
                .hasMessageContaining("never downloaded");
        assertThatThrownBy(() -> HfTextTokenizer.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setTokenizerPath");
    }

    @Test
    void readsObjectAndUnigramVocabulariesWithAddedTokensWinning() throws Exception {
        String bpe =
                "{\"merges_first\":[1,2],\"added_tokens\":[{\"id\":5,\"content\":\"<s>\","
                        + "\"special\":true}],\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,"
                        + "\"b\":1,\"<s>\":2},\"merges\":[\"a b\"]}}";
        assertThat(read(bpe)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 0, "b", 1, "<s>", 5));
        String unigram =
                "{\"model\":{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[[\"<unk>\",0.0],"
                        + "[\"▁the\",-2.5],[\"s\",-3]]}}";
        assertThat(read(unigram))
                .containsExactlyInAnyOrderEntriesOf(Map.of("<unk>", 0, "▁the", 1, "s", 2));
    }

    private static Map<String, Integer> read(String json) throws Exception {
        return HfTextTokenizer.readVocabulary(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
