package org.coea.model.pco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.coea.common.model.GroupCsid;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.lora.PeftAdapters;
import org.coea.model.prompt.PromptFields;
import org.coea.model.prompt.PromptKind;
import org.coea.model.prompt.PromptTemplates;
import org.coea.model.prompt.TextPromptCodec;
import org.coea.model.qwen2.Qwen2Checkpoints;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.safetensors.SafetensorsFile;
import org.coea.model.testutils.TinyChatCheckpoint;
import org.coea.model.tokens.TinyTokenizerFixture;
import org.coea.model.train.TrainingOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production path of the PCO models on a tiny random HuggingFace-format Qwen2 checkpoint (the
 * byte-level tiny tokenizer, so every category name is several tokens): the base stays frozen, SFT
 * and DPO train the Novelty adapter, the reward training trains the Relevance adapter and head, the
 * saved directories hold adapters only (PEFT), and proposals equal an independent full-sequence
 * scoring of every allowed answer on a separately loaded model.
 */
class CheckpointPcoModelsTest {
    static final List<String> NAMES =
            List.of("Action", "Comedy", "Drama", "Horror", "Musical", "Western");
    static final int CATS = NAMES.size();
    static final DeviceSelection CPU = DeviceSelection.select(DeviceSetting.CPU);

    /**
     * Short templates: the tiny tokenizer spends about one token per character, and the default
     * templates would make every prompt some 700 tokens long.
     */
    static final PromptTemplates SHORT =
            PromptTemplates.of(
                    "Be brief.",
                    Map.of(
                            PromptKind.NOVELTY,
                            "Group: {{profile}}. Recent: {{recent_categories}}. Next new?",
                            PromptKind.RELEVANCE,
                            "Group: {{profile}}. Recent: {{recent_categories}}. Take"
                                    + " {{candidate}}?",
                            PromptKind.PROFILE,
                            "{{histories}}"));

    @TempDir static Path shared;
    static Path base;

    @BeforeAll
    static void checkpoint() {
        base = TinyChatCheckpoint.write(shared.resolve("tiny-qwen"), 11);
    }

    record Data(List<PcoPrompt> prompts, int[] targets, int[] others) {}

    /** Next novel category = (most recent + 2) mod 6; the two recent ones are excluded. */
    static Data data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PcoPrompt> prompts = new ArrayList<>();
        int[] targets = new int[n];
        int[] others = new int[n];
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(CATS);
            int b = (a + 1 + r.nextInt(CATS - 1)) % CATS;
            int target = (b + 2) % CATS;
            if (target == a) {
                target = (b + 3) % CATS;
            }
            int other;
            do {
                other = r.nextInt(CATS);
            } while (other == a || other == b || other == target);
            prompts.add(
                    new PcoPrompt(
                            Optional.of(GroupCsid.of(r.nextInt(4), r.nextInt(4))),
                            new int[] {r.nextInt(CATS)},
                            new int[] {a, b},
                            new int[] {a, b}));
            targets[i] = target;
            others[i] = other;
        }
        return new Data(prompts, targets, others);
    }

    /** Pairs whose positive is among the first three categories and negative among the rest. */
    static Data acceptance(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Data d = data(n, seed);
        int[] pos = new int[n];
        int[] neg = new int[n];
        for (int i = 0; i < n; i++) {
            int[] ex = d.prompts().get(i).excluded();
            do {
                pos[i] = r.nextInt(CATS / 2);
            } while (pos[i] == ex[0] || pos[i] == ex[1]);
            do {
                neg[i] = CATS / 2 + r.nextInt(CATS / 2);
            } while (neg[i] == ex[0] || neg[i] == ex[1]);
        }
        return new Data(d.prompts(), pos, neg);
    }

    static TrainingOptions options(int steps, double lr) {
        return TrainingOptions.builder()
                .setSteps(steps)
                .setLearningRate(lr)
                .optBatchSize(16)
                .optSeed(5)
                .build();
    }

    @Test
    void noveltyTrainsItsAdapterOnlyAndProposesExactly(@TempDir Path dir) throws IOException {
        Data train = data(400, 1);
        Data held = data(60, 2);
        try (NoveltyModel m =
                NoveltyModel.fromCheckpoint(base, NAMES, PromptSettings.DEFAULT, CPU, SHORT, 3)) {
            assertThat(m.checkpointBacked()).isTrue();
            float[] baseBefore = baseWeight(m.model());
            List<List<Proposal>> untrained = m.propose(held.prompts(), 1);
            m.sft(train.prompts(), train.targets(), options(120, 1e-2), s -> {});
            List<List<Proposal>> top = m.propose(held.prompts(), CATS);
            int hits = 0;
            int hitsBefore = 0;
            for (int i = 0; i < top.size(); i++) {
                List<Proposal> p = top.get(i);
                int[] ex = held.prompts().get(i).excluded();
                assertThat(p).hasSize(CATS - 2);
                assertThat(p).extracting(Proposal::categoryId).doesNotContain(ex[0], ex[1]);
                assertThat(p.stream().mapToDouble(x -> Math.exp(x.logProb())).sum())
                        .as("renormalised over the allowed categories")
                        .isCloseTo(1.0, within(1e-5));
                hits += p.get(0).categoryId() == held.targets()[i] ? 1 : 0;
                hitsBefore += untrained.get(i).get(0).categoryId() == held.targets()[i] ? 1 : 0;
            }
            assertThat(hits / (double) top.size())
                    .as(
                            "held-out top-1 after SFT of the adapter (chance 0.25; before %d/%d)",
                            hitsBefore, top.size())
                    .isGreaterThan(0.6);

            m.save(dir.resolve("sft"));
            assertThat(dir.resolve("sft/model.safetensors")).doesNotExist();
            assertThat(dir.resolve("sft/adapter/" + PeftAdapters.WEIGHTS)).exists();
            assertThat(dir.resolve("sft/" + PcoLm.BACKBONE)).exists();
            // An independent scoring of every allowed answer on a separately loaded model.
            List<double[]> expected =
                    independentProposals(dir.resolve("sft"), held.prompts().subList(0, 6));
            for (int i = 0; i < expected.size(); i++) {
                for (Proposal got : top.get(i)) {
                    assertThat(got.logProb())
                            .isCloseTo(expected.get(i)[got.categoryId()], within(1e-4));
                }
            }
            try (NoveltyModel back = NoveltyModel.load(dir.resolve("sft"), CPU)) {
                assertThat(back.checkpointBacked()).isTrue();
                List<List<Proposal>> again = back.propose(held.prompts().subList(0, 10), 3);
                for (int i = 0; i < again.size(); i++) {
                    for (int k = 0; k < 3; k++) {
                        assertThat(again.get(i).get(k).categoryId())
                                .isEqualTo(top.get(i).get(k).categoryId());
                        assertThat(again.get(i).get(k).logProb())
                                .isCloseTo(top.get(i).get(k).logProb(), within(1e-5));
                    }
                }
            }

            // One DPO+KL cycle continues the same adapter: prefer the "other" category.
            Map<String, Double> f =
                    m.dpo(
                            train.prompts().subList(0, 64),
                            Arrays.copyOf(train.others(), 64),
                            Arrays.copyOf(train.targets(), 64),
                            0.1,
                            0.1,
                            options(15, 1e-2),
                            7,
                            s -> {});
            assertThat(f.get("pairs")).isEqualTo(64.0);
            assertThat(f.get("margin")).as("chosen over rejected after DPO").isPositive();
            assertThat(f.get("kl")).isPositive();
            assertThat(baseWeight(m.model()))
                    .as("SFT and DPO leave the base weights as loaded")
                    .isEqualTo(baseBefore);
        }
    }

    @Test
    void relevanceTrainsAdapterAndHeadAndSavesThemInPeftFormat(@TempDir Path dir)
            throws IOException {
        // Accepted: the first three categories; refused: the last three (the tiny random model
        // cannot learn a rule that ties the candidate to the recent clicks in a few steps).
        Data train = acceptance(400, 3);
        Data held = acceptance(100, 4);
        try (RelevanceModel m =
                RelevanceModel.fromCheckpoint(base, NAMES, PromptSettings.DEFAULT, CPU, SHORT, 5)) {
            double before = m.accuracy(held.prompts(), held.targets(), held.others());
            float[] baseBefore = baseWeight(m.model());
            m.train(train.prompts(), train.targets(), train.others(), options(120, 1e-2), s -> {});
            double after = m.accuracy(held.prompts(), held.targets(), held.others());
            assertThat(after)
                    .as("held-out pair accuracy after training (before: %.3f)", before)
                    .isGreaterThan(0.75);
            assertThat(baseWeight(m.model())).isEqualTo(baseBefore);
            m.calibrate(held.prompts(), held.targets(), held.others());
            m.save(dir.resolve("rel"));
            assertThat(dir.resolve("rel/model.safetensors")).doesNotExist();
            try (SafetensorsFile f =
                    SafetensorsFile.open(dir.resolve("rel/adapter/" + PeftAdapters.WEIGHTS))) {
                assertThat(f.names()).contains(PeftAdapters.SCORE_KEY);
            }
            assertThat(
                            Files.readString(
                                    dir.resolve("rel/adapter/" + PeftAdapters.CONFIG),
                                    StandardCharsets.UTF_8))
                    .contains("modules_to_save")
                    .contains("score");
            double[] scores = m.score(held.prompts(), held.targets());
            try (RelevanceModel back = RelevanceModel.load(dir.resolve("rel"), CPU)) {
                double[] again = back.score(held.prompts(), held.targets());
                for (int i = 0; i < again.length; i++) {
                    assertThat(again[i]).isCloseTo(scores[i], within(1e-5));
                }
            }
        }
    }

    @Test
    void aRelativeBasePathIsRecordedAsGiven(@TempDir Path dir) throws IOException {
        // as on YARN, where every container unpacks the checkpoint as ./base-model
        Path relative = Path.of("").toAbsolutePath().relativize(base);
        try (NoveltyModel m =
                NoveltyModel.fromCheckpoint(
                        relative, NAMES, PromptSettings.DEFAULT, CPU, SHORT, 3)) {
            m.save(dir.resolve("m"));
        }
        assertThat(Files.readString(dir.resolve("m/" + PcoLm.BACKBONE)))
                .contains("\"base_model\":\"" + relative + "\"");
        try (NoveltyModel back = NoveltyModel.load(dir.resolve("m"), CPU)) {
            assertThat(back.checkpointBacked()).isTrue();
        }
    }

    @Test
    void aChangedBaseOrAMissingTokenizerFailsClearly(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("base");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(base)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        try (NoveltyModel m =
                NoveltyModel.fromCheckpoint(
                        copy, NAMES, PromptSettings.DEFAULT, CPU, PromptTemplates.defaults(), 3)) {
            m.save(dir.resolve("m"));
        }
        Path config = copy.resolve(Qwen2Checkpoints.CONFIG);
        Files.writeString(config, Files.readString(config).replace("{", "{\"edited\": 1, "));
        assertThatThrownBy(() -> NoveltyModel.load(dir.resolve("m"), CPU))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed since the adapters were trained");
        Files.delete(copy.resolve("tokenizer.json"));
        assertThatThrownBy(
                        () ->
                                NoveltyModel.fromCheckpoint(
                                        copy, NAMES, PromptSettings.DEFAULT, CPU, SHORT, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer.json is missing");
    }

    /**
     * Per prompt, the log-probability of every category renormalised over the allowed ones,
     * computed on a separately loaded model (base + saved adapter) by one full forward pass per
     * prompt + answer, without the KV cache; excluded categories get NaN.
     */
    private static List<double[]> independentProposals(Path saved, List<PcoPrompt> prompts) {
        TextPromptCodec codec = new TextPromptCodec(TinyTokenizerFixture.load(), SHORT);
        List<double[]> out = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                Qwen2Model model = Qwen2Checkpoints.load(base, manager, DataType.FLOAT32)) {
            PeftAdapters.load(model, "p", saved.resolve("adapter"));
            for (PcoPrompt p : prompts) {
                PromptFields fields =
                        PromptFields.builder()
                                .optCsid(p.csid().orElseThrow())
                                .optProfile(NAMES.get(p.profile()[0]))
                                .optProfileCategories(List.of(NAMES.get(p.profile()[0])))
                                .optRecentCategories(
                                        List.of(NAMES.get(p.recent()[0]), NAMES.get(p.recent()[1])))
                                .build();
                int[] prompt = codec.prompt(PromptKind.NOVELTY, fields);
                double[] logp = new double[CATS];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < CATS; c++) {
                    int cc = c;
                    if (Arrays.stream(p.excluded()).anyMatch(x -> x == cc)) {
                        logp[c] = Double.NaN;
                        continue;
                    }
                    int[] answer = codec.answer(NAMES.get(c));
                    int[] ids = Arrays.copyOf(prompt, prompt.length + answer.length);
                    System.arraycopy(answer, 0, ids, prompt.length, answer.length);
                    try (NDManager m = model.manager().newSubManager()) {
                        NDArray input =
                                m.create(Arrays.stream(ids).asLongStream().toArray())
                                        .reshape(1, ids.length);
                        NDArray hidden =
                                model.forward(
                                        input,
                                        m.ones(input.getShape(), DataType.INT64),
                                        Optional.empty(),
                                        "p");
                        NDArray ls = model.logits(hidden, "p").logSoftmax(-1);
                        float[] flat = ls.toFloatArray();
                        int vocab = (int) ls.getShape().get(2);
                        double sum = 0;
                        for (int k = 0; k < answer.length; k++) {
                            int pos = prompt.length + k - 1;
                            sum += flat[pos * vocab + answer[k]];
                        }
                        logp[c] = sum;
                        max = Math.max(max, sum);
                    }
                }
                double z = 0;
                for (double v : logp) {
                    if (!Double.isNaN(v)) {
                        z += Math.exp(v - max);
                    }
                }
                double logZ = max + Math.log(z);
                for (int c = 0; c < CATS; c++) {
                    logp[c] -= logZ;
                }
                out.add(logp);
            }
        }
        return out;
    }

    private static float[] baseWeight(Qwen2Model model) {
        return model.parameters().get("model.layers.0.mlp.down_proj.weight").toFloatArray();
    }
}
