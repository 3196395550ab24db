package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.coea.model.train.Seeds;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingLoop;
import org.coea.model.train.TrainingOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CsaTrainerTest {
    static int threads;

    @BeforeAll
    static void oneThread() {
        threads = CsaFixtures.engineThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        CsaFixtures.engineThreads(threads);
    }

    static final List<int[]> SEQUENCES =
            List.of(
                    new int[] {3, 4, 5, 6, 7, 8, 9, 10},
                    new int[] {30, 1},
                    new int[] {12},
                    new int[] {2, 9, 16, 23, 30, 7, 14});
    static final List<int[]> FEATURES =
            List.of(
                    new int[] {1, 2, 3},
                    new int[] {0, 0, 0},
                    new int[] {10, 0, 5},
                    new int[] {4, 4, 4});

    @Test
    void negativesAreUniformOverTheOtherItems() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(3);
            NDArray targets = m.full(new Shape(300, 30), 5L);
            long[] negatives = CsaTrainer.negatives(m, targets, 10).toLongArray();
            int[] hits = new int[11];
            for (long n : negatives) {
                hits[(int) n]++;
            }
            assertThat(hits[0]).isZero();
            assertThat(hits[5]).as("the positive is never its own negative").isZero();
            // 9000 draws over 9 items: 1000 each, sd ~31
            for (int item : new int[] {1, 2, 3, 4, 6, 7, 8, 9, 10}) {
                assertThat(hits[item]).as("item %d", item).isBetween(880, 1120);
            }
            NDArray mixed = m.create(new long[] {1, 10, 0, 7}).tile(2000);
            long[] t = mixed.toLongArray();
            long[] n = CsaTrainer.negatives(m, mixed, 10).toLongArray();
            for (int i = 0; i < t.length; i++) {
                assertThat(n[i]).isBetween(1L, 10L).isNotEqualTo(t[i]);
            }
        }
    }

    @Test
    void lossIsTheMaskedBinaryCrossEntropyOfPositivesAndSampledNegatives() {
        try (CsaEncoder encoder = CsaEncoder.create(CsaFixtures.tiny());
                NDManager m = encoder.manager().newSubManager()) {
            CsaFixtures.randomise(encoder, 5);
            NextItemExamples examples = NextItemExamples.of(encoder.config(), SEQUENCES, FEATURES);
            NDArray[] batch = examples.batch(m, new int[] {0, 1, 2, 3});
            Seeds.seedEngine(17);
            long[] negatives = CsaTrainer.negatives(m, batch[2], 30).toLongArray();
            Seeds.seedEngine(17);
            TrainingLoop.LossOutput out = new CsaTrainer(encoder).loss(m, batch);

            float[] hidden = encoder.forward(batch[0], batch[1], false).toFloatArray();
            float[] e = encoder.itemEmbedding().toFloatArray();
            long[] targets = batch[2].toLongArray();
            int d = 8;
            double sum = 0;
            int real = 0;
            int right = 0;
            for (int p = 0; p < targets.length; p++) {
                if (targets[p] == 0) {
                    continue;
                }
                double pos = 0;
                double neg = 0;
                for (int j = 0; j < d; j++) {
                    pos += hidden[p * d + j] * e[(int) targets[p] * d + j];
                    neg += hidden[p * d + j] * e[(int) negatives[p] * d + j];
                }
                sum += -Math.log(1 / (1 + Math.exp(-pos))) - Math.log(1 / (1 + Math.exp(neg)));
                real++;
                right += pos > neg ? 1 : 0;
            }
            // 8 + 2 + 1 + 7 targets: every item of each (truncated to L + 1 = 7) sequence
            assertThat(real).isEqualTo(7 + 2 + 1 + 7);
            assertThat((double) out.loss().getFloat()).isCloseTo(sum / real, within(1e-5));
            assertThat(out.figures().get(CsaTrainer.PAIR_ACCURACY))
                    .isCloseTo(right / (double) real, within(1e-6));
        }
    }

    @Test
    void everyWeightReceivesAGradient() {
        try (CsaEncoder encoder = CsaEncoder.create(CsaFixtures.tiny())) {
            NextItemExamples examples = NextItemExamples.of(encoder.config(), SEQUENCES, FEATURES);
            encoder.parameters().values().forEach(p -> p.setRequiresGradient(true));
            try (NDManager m = encoder.manager().newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(
                        new CsaTrainer(encoder)
                                .loss(m, examples.batch(m, new int[] {0, 1, 2, 3}))
                                .loss());
            }
            for (Map.Entry<String, NDArray> p : encoder.parameters().entrySet()) {
                float[] g = p.getValue().getGradient().toFloatArray();
                double norm = 0;
                for (float v : g) {
                    assertThat(Float.isFinite(v)).as(p.getKey()).isTrue();
                    norm += v * v;
                }
                assertThat(norm).as("gradient of %s", p.getKey()).isGreaterThan(0);
            }
        }
    }

    @Test
    void trainingRepeatsBitForBitAndLeavesNoArraysBehind() {
        TrainingOptions options =
                TrainingOptions.builder()
                        .setSteps(4)
                        .setLearningRate(1e-2)
                        .optBatchSize(3)
                        .optSeed(8)
                        .build();
        float[][] first;
        try (CsaEncoder a = CsaEncoder.create(CsaFixtures.tiny())) {
            int before = ((BaseNDManager) a.manager()).getManagedArrays().size();
            TrainingLog log =
                    new CsaTrainer(a).train(SEQUENCES, FEATURES, options, new TrainingLog());
            assertThat(log.size()).isEqualTo(4);
            assertThat(log.last().orElseThrow().extras()).containsKey(CsaTrainer.PAIR_ACCURACY);
            assertThat(((BaseNDManager) a.manager()).getManagedArrays()).hasSize(before);
            first = a.userVectors(SEQUENCES, FEATURES);
            try (CsaEncoder untrained = CsaEncoder.create(CsaFixtures.tiny())) {
                assertThat(untrained.userVectors(SEQUENCES, FEATURES)[0])
                        .as("training moved the weights")
                        .isNotEqualTo(first[0]);
            }
        }
        try (CsaEncoder b = CsaEncoder.create(CsaFixtures.tiny())) {
            new CsaTrainer(b).train(SEQUENCES, FEATURES, options, new TrainingLog());
            float[][] second = b.userVectors(SEQUENCES, FEATURES);
            for (int i = 0; i < first.length; i++) {
                assertThat(second[i]).containsExactly(first[i]);
            }
        }
    }

    @Test
    void learnsADeterministicSequentialRuleAndBeatsPopularity() {
        // 600 users in 4 groups, each stepping through 200 items with its group's stride
        SyntheticSequences data = SyntheticSequences.generate(600, 200, 6, 20, 1);
        CsaConfig config =
                CsaConfig.builder()
                        .setNumItems(200)
                        .setNumFeatureValues(SyntheticSequences.numFeatureValues())
                        .setNumFeatureFields(2)
                        .setMaxLength(16)
                        .build();
        List<LeaveOneOutCase> cases = data.cases();
        int[][] negatives = CsaEvaluator.sampleNegatives(cases, 200, CsaEvaluator.NEGATIVES, 7);
        RankingResult popularity =
                PopularityBaseline.fit(data.histories(), 200).leaveOneOut(cases, negatives);
        try (CsaEncoder encoder = CsaEncoder.create(config)) {
            RankingResult before = CsaEvaluator.leaveOneOut(encoder, cases, negatives);
            long start = System.nanoTime();
            TrainingLog log =
                    new CsaTrainer(encoder)
                            .train(
                                    data.histories(),
                                    data.features,
                                    TrainingOptions.builder()
                                            .setSteps(150)
                                            .setLearningRate(3e-3)
                                            .optBatchSize(64)
                                            .optWarmupSteps(10)
                                            .optSeed(3)
                                            .build(),
                                    new TrainingLog());
            double seconds = (System.nanoTime() - start) / 1e9;
            RankingResult after = CsaEvaluator.leaveOneOut(encoder, cases, negatives);
            System.out.printf(
                    "CSA learning test: before %s, after %s (%.1f s, 150 steps, %s), popularity %s%n",
                    before, after, seconds, log.last().orElseThrow(), popularity);
            assertThat(before.hitRate(10)).as("untrained HR@10").isLessThan(0.3);
            assertThat(after.hitRate(10)).as("HR@10 after training").isGreaterThan(0.9);
            assertThat(after.hitRate(10)).isGreaterThan(popularity.hitRate(10) + 0.5);
            assertThat(after.ndcg(10)).isGreaterThan(popularity.ndcg(10) + 0.4);
        }
    }
}
