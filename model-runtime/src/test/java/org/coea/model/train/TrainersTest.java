package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.coea.model.lora.LoraAdapters;
import org.coea.model.lora.LoraConfig;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainers learn synthetic rules on a tiny Qwen2 trained from scratch: prompt {@code <bos> a b}
 * with a "key" a and a distractor b; the right answer is {@code 13 + (a - 3)} then eos.
 */
class TrainersTest {
    static final int PAD = 0;
    static final int EOS = 1;
    static final int BOS = 2;

    @TempDir Path tmp;
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static Qwen2Config config() {
        return new Qwen2Config(32, 32, 64, 2, 4, 2, 1e-6, 10000.0, false, 16);
    }

    Qwen2Model fresh(long seed) {
        NDManager owner = manager.newSubManager();
        return Qwen2Model.of(
                config(), owner, Qwen2Model.randomWeights(config(), owner, seed, DataType.FLOAT32));
    }

    static int answer(int a) {
        return 13 + (a - 3);
    }

    /** All 90 prompts (a in 3..12, b in 23..31), shuffled with a seed, split 70 / 20. */
    static List<List<int[]>> prompts() {
        List<int[]> all = new ArrayList<>();
        for (int a = 3; a <= 12; a++) {
            for (int b = 23; b <= 31; b++) {
                all.add(new int[] {BOS, a, b});
            }
        }
        Collections.shuffle(all, new Random(5));
        return List.of(all.subList(0, 70), all.subList(70, 90));
    }

    static List<SftExample> sft(List<int[]> prompts) {
        List<SftExample> out = new ArrayList<>();
        for (int[] p : prompts) {
            out.add(new SftExample(p, new int[] {answer(p[1]), EOS}));
        }
        return out;
    }

    static List<PreferencePair> pairs(List<int[]> prompts, long seed) {
        Random r = new Random(seed);
        List<PreferencePair> out = new ArrayList<>();
        for (int[] p : prompts) {
            for (int k = 0; k < 3; k++) {
                int wrong;
                do {
                    wrong = 13 + r.nextInt(10);
                } while (wrong == answer(p[1]));
                out.add(
                        new PreferencePair(
                                p, new int[] {answer(p[1]), EOS}, new int[] {wrong, EOS}));
            }
        }
        return out;
    }

    @Test
    void sftReachesNinetyFivePercentHeldOutTokenAccuracy() {
        Qwen2Model model = fresh(1);
        SftTrainer trainer = new SftTrainer(model, Qwen2Model.BASE, model.parameters(), PAD);
        List<SftExample> train = sft(prompts().get(0));
        List<SftExample> heldOut = sft(prompts().get(1));
        double before = trainer.accuracy(heldOut, 32);
        TrainingLog log =
                trainer.train(
                        train,
                        TrainingOptions.builder()
                                .setSteps(120)
                                .setLearningRate(3e-3)
                                .optBatchSize(16)
                                .optWarmupSteps(10)
                                .optSeed(3)
                                .build(),
                        new TrainingLog());
        double after = trainer.accuracy(heldOut, 32);
        assertThat(before).isLessThan(0.6);
        assertThat(after).as("held-out token accuracy (log: %s)", log.last()).isGreaterThan(0.95);
        assertThat(log.records().get(log.size() - 1).loss())
                .isLessThan(log.records().get(0).loss() / 4);
        assertThat(log.last().orElseThrow().extras()).containsKey("token_accuracy");
    }

    @Test
    void rewardModelRanksNinetyFivePercentOfHeldOutPairs() {
        Qwen2Model model = fresh(2);
        NDArray head = model.newRewardHead(4);
        Map<String, NDArray> params = new java.util.LinkedHashMap<>(model.parameters());
        params.put(Qwen2Model.SCORE, head);
        RewardTrainer trainer = new RewardTrainer(model, Qwen2Model.BASE, params, PAD);
        List<PreferencePair> train = pairs(prompts().get(0), 7);
        List<PreferencePair> heldOut = pairs(prompts().get(1), 8);
        trainer.train(
                train,
                TrainingOptions.builder()
                        .setSteps(300)
                        .setLearningRate(2e-3)
                        .optBatchSize(16)
                        .optWarmupSteps(10)
                        .optSeed(4)
                        .build(),
                new TrainingLog());
        assertThat(trainer.accuracy(heldOut, 32)).isGreaterThan(0.95);
    }

    @Test
    void dpoRaisesTheMarginAndTheKlTermKeepsThePolicyCloser() {
        List<PreferencePair> train = pairs(prompts().get(0), 9);
        List<PreferencePair> heldOut = pairs(prompts().get(1), 10);
        LoraConfig lora = LoraConfig.builder().setRank(4).optAlpha(8).optAllLinear().build();
        double[] kl = new double[2];
        double[] margin = new double[2];
        double[] lambdas = {0.0, 1.0};
        for (int run = 0; run < 2; run++) {
            Qwen2Model model = fresh(3);
            LoraAdapters.create(model, "policy", lora, 11);
            DpoTrainer trainer =
                    new DpoTrainer(
                            model,
                            "policy",
                            Qwen2Model.BASE,
                            LoraAdapters.parameters(model, "policy"),
                            PAD,
                            0.5,
                            lambdas[run]);
            Map<String, Double> start = trainer.evaluate(train);
            assertThat(start.get("margin"))
                    .isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
            TrainingLog log =
                    trainer.train(
                            train,
                            TrainingOptions.builder()
                                    .setSteps(60)
                                    .setLearningRate(5e-3)
                                    .optBatchSize(16)
                                    .optSeed(6)
                                    .build(),
                            new TrainingLog());
            assertThat(log.last().orElseThrow().extras())
                    .containsKeys("chosen_reward", "rejected_reward", "margin", "accuracy", "kl");
            Map<String, Double> end = trainer.evaluate(heldOut);
            margin[run] = end.get("margin");
            kl[run] = trainer.evaluate(train).get("kl");
            assertThat(end.get("accuracy"))
                    .as("held-out preference accuracy, lambda=%s", lambdas[run])
                    .isGreaterThan(0.8);
        }
        assertThat(margin[0]).isGreaterThan(0.5);
        assertThat(margin[1]).isGreaterThan(0.0);
        assertThat(kl[1])
                .as("KL with lambda=1 vs lambda=0: %s", java.util.Arrays.toString(kl))
                .isLessThan(kl[0]);
    }

    @Test
    void resumingFromACheckpointContinuesBitIdentically() {
        List<SftExample> train = sft(prompts().get(0));
        TrainingOptions.Builder base =
                TrainingOptions.builder()
                        .setSteps(6)
                        .setLearningRate(1e-3)
                        .optBatchSize(8)
                        .optAccumulation(2)
                        .optWarmupSteps(2)
                        .optSeed(12);

        Qwen2Model straight = fresh(5);
        new SftTrainer(straight, Qwen2Model.BASE, straight.parameters(), PAD)
                .train(train, base.build(), new TrainingLog());

        Qwen2Model first = fresh(5);
        new SftTrainer(first, Qwen2Model.BASE, first.parameters(), PAD)
                .train(
                        train,
                        TrainingOptions.builder()
                                .setSteps(3)
                                .setLearningRate(1e-3)
                                .optBatchSize(8)
                                .optAccumulation(2)
                                .optWarmupSteps(2)
                                .optSeed(12)
                                .optCheckpoints(tmp, 3)
                                .build(),
                        new TrainingLog());
        Qwen2Model resumed = fresh(99); // different init: everything must come from the checkpoint
        new SftTrainer(resumed, Qwen2Model.BASE, resumed.parameters(), PAD)
                .train(train, base.optResumeFrom(tmp.resolve("step-3")).build(), new TrainingLog());
        for (Map.Entry<String, NDArray> e : straight.parameters().entrySet()) {
            assertThat(resumed.parameters().get(e.getKey()).toFloatArray())
                    .as(e.getKey())
                    .containsExactly(e.getValue().toFloatArray());
        }
    }
}
