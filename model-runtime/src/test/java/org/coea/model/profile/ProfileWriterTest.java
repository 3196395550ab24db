package org.coea.model.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.qwen2.Qwen2Checkpoints;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.testutils.NaiveQwen2;
import org.coea.model.testutils.TinyChatCheckpoint;
import org.coea.model.testutils.TinyQwen2;
import org.coea.model.tokens.HfTextTokenizer;
import org.coea.model.tokens.TinyTokenizerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileWriterTest {
    static final int MAX_NEW = 8;
    static final int BUDGET = 650;
    static final List<GroupHistories> GROUPS =
            List.of(ProfileFixtures.films(), ProfileFixtures.shows(), ProfileFixtures.single());

    @TempDir static Path tmp;
    static Path dir;
    static ProfileWriter writer;

    @BeforeAll
    static void open() {
        dir = TinyChatCheckpoint.write(tmp.resolve("tiny-chat"), 17);
        writer = writer(dir, 2);
    }

    @AfterAll
    static void close() {
        writer.close();
    }

    static ProfileWriter writer(Path dir, int batch) {
        return ProfileWriter.builder()
                .setModelPath(dir)
                .optMaxNewTokens(MAX_NEW)
                .optMaxPromptTokens(BUDGET)
                .optBatchSize(batch)
                .optDevice(DeviceSelection.select(DeviceSetting.CPU))
                .build();
    }

    @Test
    void sameGroupsGiveTheSameProfiles() {
        List<WrittenProfile> first = writer.write(GROUPS);
        List<WrittenProfile> again = writer.write(GROUPS);
        try (ProfileWriter reloaded = writer(dir, 3)) {
            List<WrittenProfile> other = reloaded.write(GROUPS);
            for (int i = 0; i < GROUPS.size(); i++) {
                assertThat(again.get(i).text()).isEqualTo(first.get(i).text());
                assertThat(other.get(i).text())
                        .as("a second load of the checkpoint, other batches")
                        .isEqualTo(first.get(i).text());
            }
        }
        assertThat(first)
                .extracting(WrittenProfile::generatedTokens)
                .allSatisfy(n -> assertThat(n).isBetween(1, MAX_NEW));
    }

    @Test
    void batchedProfilesEqualGreedyDecodingOfEachPromptByAPlainJavaModel() throws Exception {
        List<WrittenProfile> batched = writer.write(GROUPS);
        Map<String, float[]> weights;
        try (NDManager manager = NDManager.newBaseManager();
                Qwen2Model model = Qwen2Checkpoints.load(dir, manager, DataType.FLOAT32)) {
            weights = TinyQwen2.values(model.parameters());
        }
        NaiveQwen2 naive = new NaiveQwen2(TinyChatCheckpoint.config(), weights);
        List<Integer> stops =
                List.of(
                        TinyTokenizerFixture.IM_END,
                        TinyTokenizerFixture.END_OF_TEXT,
                        TinyTokenizerFixture.IM_START);
        try (HfTextTokenizer tokenizer = TinyTokenizerFixture.load()) {
            for (int g = 0; g < GROUPS.size(); g++) {
                int[] prompt = batched.get(g).prompt().ids();
                List<Integer> seq = new ArrayList<>();
                Arrays.stream(prompt).forEach(seq::add);
                List<Integer> answer = new ArrayList<>();
                for (int t = 0; t < MAX_NEW; t++) {
                    double[][] logits =
                            naive.logits(seq.stream().mapToInt(Integer::intValue).toArray());
                    double[] last = logits[logits.length - 1];
                    int best = 0;
                    for (int v = 1; v < last.length; v++) {
                        if (last[v] > last[best]) {
                            best = v;
                        }
                    }
                    seq.add(best);
                    if (stops.contains(best)) {
                        break;
                    }
                    answer.add(best);
                }
                String expected =
                        tokenizer
                                .decode(answer.stream().mapToInt(Integer::intValue).toArray())
                                .strip();
                assertThat(batched.get(g).text()).as("group %d", g).isEqualTo(expected);
            }
        }
        List<WrittenProfile> oneByOne = new ArrayList<>();
        for (GroupHistories group : GROUPS) {
            oneByOne.addAll(writer.write(List.of(group)));
        }
        assertThat(oneByOne)
                .extracting(WrittenProfile::text)
                .containsExactlyElementsOf(batched.stream().map(WrittenProfile::text).toList());
    }

    @Test
    void thePromptHoldsTheItemsWithinTheBudget() {
        List<WrittenProfile> written = writer.write(GROUPS);
        for (WrittenProfile w : written) {
            assertThat(w.prompt().ids().length).isLessThanOrEqualTo(BUDGET);
        }
        assertThat(written.get(2).prompt().text()).contains("User 1: Jaws (Thriller)\n");
        assertThat(written.get(2).prompt().truncated()).isFalse();
        assertThat(written.get(1).prompt().text())
                .contains("Blackadder (Comedy, History)", "User 2: (no items)");
        ProfilePrompt films = written.get(0).prompt();
        assertThat(films.totalItems()).isEqualTo(8);
        assertThat(films.truncated()).as("8 items do not fit %d tokens", BUDGET).isTrue();
        assertThat(films.keptItems()).isPositive();
        assertThat(films.text())
                .as("the newest items stay")
                .contains("Fargo (Crime)", "Clerks (Comedy)")
                .doesNotContain("Toy Story");
        assertThat(writer.prompts().prompt(ProfileFixtures.films()).text()).isEqualTo(films.text());
    }

    @Test
    void aBadDirectoryIsNamedWithItsMissingFile() throws Exception {
        Path missing = tmp.resolve("nowhere");
        assertThatThrownBy(() -> writer(missing, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        for (String file : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            Path copy = Files.createDirectories(tmp.resolve("without-" + file));
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals(file)) {
                        Files.copy(f, copy.resolve(f.getFileName()));
                    }
                }
            }
            assertThatThrownBy(() -> writer(copy, 1))
                    .as("without %s", file)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lacks " + file)
                    .hasMessageContaining(copy.resolve(file).toString());
        }
        assertThatThrownBy(() -> ProfileWriter.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setModelPath");
        assertThatThrownBy(
                        () ->
                                ProfileWriter.builder()
                                        .setModelPath(dir)
                                        .optMaxPromptTokens(4000)
                                        .optMaxNewTokens(200)
                                        .optDevice(DeviceSelection.select(DeviceSetting.CPU))
                                        .build())
                .hasMessageContaining("exceeds max_position_embeddings 4096");
    }
}
