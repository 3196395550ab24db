package org.coea.model.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.coea.common.model.GroupCsid;
import org.coea.model.train.StepRecord;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains tiny RQ-VAEs on seeded synthetic user vectors. */
class RqVaeTest {
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

    static RqVaeConfig.Builder small(int levels) {
        return RqVaeConfig.builder()
                .setInputDim(16)
                .optEncoderHidden(32)
                .setLatentDim(8)
                .optLevels(levels)
                .optCodebookSize(16)
                .optSeed(5)
                .optDeadCodeSteps(20);
    }

    static TrainingOptions options(int steps) {
        return TrainingOptions.builder()
                .setSteps(steps)
                .setLearningRate(3e-3)
                .optBatchSize(128)
                .optSeed(9)
                .build();
    }

    static float[][] lowRank() {
        return RqVaeFixtures.lowRank(1500, 16, 6, 1);
    }

    @Test
    void heldOutReconstructionErrorFallsWithEveryExtraLevel() {
        float[][] data = lowRank();
        float[][] train = RqVaeFixtures.slice(data, 0, 1200);
        float[][] heldOut = RqVaeFixtures.slice(data, 1200, 1500);
        double[] separate = new double[3];
        double[] prefixes = new double[3];
        for (int levels = 1; levels <= 3; levels++) {
            try (RqVae model = RqVae.create(small(levels).build(), manager)) {
                new RqVaeTrainer(model).train(train, options(STEPS), new TrainingLog());
                separate[levels - 1] = model.reconstructionError(heldOut, levels);
                if (levels == 3) {
                    for (int l = 1; l <= 3; l++) {
                        prefixes[l - 1] = model.reconstructionError(heldOut, l);
                    }
                }
            }
        }
        double energy = 0;
        for (float[] v : heldOut) {
            energy += KMeans.squaredDistance(v, new float[v.length]);
        }
        energy /= heldOut.length;
        String figures =
                "separate models (L=1,2,3) "
                        + Arrays.toString(separate)
                        + ", prefixes of the L=3 model "
                        + Arrays.toString(prefixes)
                        + ", mean ||h||^2 "
                        + energy;
        assertThat(separate[0]).as(figures).isLessThan(0.6 * energy);
        assertThat(separate[1]).as(figures).isLessThan(0.85 * separate[0]);
        assertThat(separate[2]).as(figures).isLessThan(0.85 * separate[1]);
        assertThat(prefixes[1]).as(figures).isLessThan(prefixes[0]);
        assertThat(prefixes[2]).as(figures).isLessThan(prefixes[1]);
    }

    static final int STEPS = 150;

    @Test
    void sameSeedSameCodesAndWeights() {
        float[][] data = lowRank();
        RqVaeConfig config = small(3).optDeadCodeSteps(3).build();
        int[][][] codes = new int[3][][];
        Map<String, float[]> first = new HashMap<>();
        long[] resets = new long[2];
        for (int run = 0; run < 3; run++) {
            RqVaeConfig c = run < 2 ? config : config.toBuilder().optSeed(6).build();
            try (RqVae model = RqVae.create(c, manager)) {
                RqVaeTrainer trainer = new RqVaeTrainer(model);
                trainer.train(data, options(40), new TrainingLog());
                codes[run] = model.codes(data);
                if (run == 0) {
                    model.parameters().forEach((k, v) -> first.put(k, v.toFloatArray()));
                } else if (run == 1) {
                    model.parameters()
                            .forEach(
                                    (k, v) ->
                                            assertThat(v.toFloatArray())
                                                    .as(k)
                                                    .containsExactly(first.get(k)));
                }
                if (run < 2) {
                    resets[run] = trainer.deadCodeResets();
                }
            }
        }
        assertThat(codes[1]).isDeepEqualTo(codes[0]);
        assertThat(resets[1]).isEqualTo(resets[0]);
        assertThat(codes[2]).as("another seed").isNotEqualTo(codes[0]);
        assertThat(Arrays.stream(codes[0]).flatMapToInt(Arrays::stream))
                .allMatch(c -> c >= 0 && c < 16);
    }

    /**
     * One step at a negligible learning rate leaves the k-means codebooks as they were made: each
     * level-1 codeword is the mean of the first batch's latents nearest to it (the batch the loop
     * hands out first: the first {@code batchSize} of the seeded epoch-0 order).
     */
    @Test
    void trainerInitialisesTheCodebooksByKmeansOnTheFirstBatch() {
        float[][] data = lowRank();
        try (RqVae model = RqVae.create(small(2).build(), manager)) {
            new RqVaeTrainer(model)
                    .train(
                            data,
                            TrainingOptions.builder()
                                    .setSteps(1)
                                    .setLearningRate(1e-9)
                                    .optBatchSize(128)
                                    .optSeed(9)
                                    .build(),
                            new TrainingLog());
            int[] order = org.coea.model.train.Seeds.shuffledOrder(9, 0, data.length);
            float[][] batch = new float[128][];
            for (int i = 0; i < 128; i++) {
                batch[i] = data[order[i]];
            }
            float[][] z = model.latents(batch);
            float[][] book = model.quantizer().codebookValues(0);
            double[][] sums = new double[16][8];
            int[] counts = new int[16];
            for (float[] row : z) {
                int k = KMeans.nearest(row, book);
                counts[k]++;
                for (int d = 0; d < 8; d++) {
                    sums[k][d] += row[d];
                }
            }
            for (int k = 0; k < 16; k++) {
                assertThat(counts[k]).as("code %d holds first-batch points", k).isPositive();
                for (int d = 0; d < 8; d++) {
                    assertThat((double) book[k][d])
                            .isCloseTo(
                                    sums[k][d] / counts[k],
                                    org.assertj.core.api.Assertions.within(1e-4));
                }
            }
        }
    }

    @Test
    void resumingKeepsTheCheckpointCodebooksAndContinuesIdentically() {
        float[][] data = lowRank();
        RqVaeConfig config = small(2).optDeadCodeSteps(0).build();
        TrainingOptions.Builder base =
                TrainingOptions.builder().setSteps(4).setLearningRate(3e-3).optBatchSize(64);
        Map<String, float[]> straight = new HashMap<>();
        try (RqVae model = RqVae.create(config, manager)) {
            new RqVaeTrainer(model).train(data, base.build(), new TrainingLog());
            model.parameters().forEach((k, v) -> straight.put(k, v.toFloatArray()));
        }
        try (RqVae model = RqVae.create(config, manager)) {
            new RqVaeTrainer(model)
                    .train(
                            data,
                            TrainingOptions.builder()
                                    .setSteps(2)
                                    .setLearningRate(3e-3)
                                    .optBatchSize(64)
                                    .optCheckpoints(tmp, 2)
                                    .build(),
                            new TrainingLog());
        }
        try (RqVae resumed = RqVae.create(config.toBuilder().optSeed(77).build(), manager)) {
            new RqVaeTrainer(resumed)
                    .train(
                            data,
                            base.optResumeFrom(tmp.resolve("step-2")).build(),
                            new TrainingLog());
            resumed.parameters()
                    .forEach(
                            (k, v) ->
                                    assertThat(v.toFloatArray())
                                            .as(k)
                                            .containsExactly(straight.get(k)));
        }
    }

    /**
     * 8 well-separated Gaussian clusters in 16-d, K = 8: pairs of users from one true cluster share
     * their first code (and their group), pairs from different clusters do not; groups are cohesive
     * by the Figure 3 cosine estimator.
     */
    @Test
    void usersOfOneTrueClusterShareTheirFirstCodeAndGroup() {
        RqVaeFixtures.Labelled data = RqVaeFixtures.clusters(1200, 8, 16, 10.0, 0.5, 3);
        RqVaeConfig config = small(3).setLatentDim(16).optCodebookSize(8).build();
        try (RqVae model = RqVae.create(config, manager)) {
            new RqVaeTrainer(model).train(data.vectors(), options(200), new TrainingLog());
            int[][] codes = model.codes(data.vectors());
            int[] firstCode = column(codes, 0);
            double[] prefix = pairAgreement(firstCode, data.labels());
            assertThat(prefix[0])
                    .as("same-cluster pairs sharing the first code")
                    .isGreaterThan(0.9);
            assertThat(prefix[1]).as("cross-cluster pairs sharing the first code").isLessThan(0.1);

            GroupAssigner assigner = GroupAssigner.builder().setGroups(8).build();
            GroupAssignment groups = assigner.assign(codes, data.vectors());
            int[] group = new int[codes.length];
            for (int u = 0; u < group.length; u++) {
                group[u] = groups.groupOf(u);
            }
            double[] grouped = pairAgreement(group, data.labels());
            GroupQuality quality = assigner.quality(groups, codes, data.vectors(), 8);
            String figures =
                    "first code "
                            + Arrays.toString(prefix)
                            + ", group "
                            + Arrays.toString(grouped)
                            + ", "
                            + quality;
            assertThat(grouped[0]).as(figures).isGreaterThan(0.9);
            assertThat(grouped[1]).as(figures).isLessThan(0.05);
            assertThat(quality.groups()).isEqualTo(8);
            assertThat(quality.cosineGroups()).isEqualTo(8);
            assertThat(quality.intraCosine())
                    .as(figures)
                    .isGreaterThan(quality.interCosine() + 0.5);
            assertThat(quality.codebookUsage().get(0)).isEqualTo(1.0);
        }
    }

    /**
     * {same, different}: the share of user pairs from one true cluster that have the same value,
     * and the share of pairs from different clusters that do.
     */
    static double[] pairAgreement(int[] values, int[] labels) {
        long same = 0;
        long sameHit = 0;
        long different = 0;
        long differentHit = 0;
        for (int i = 0; i < values.length; i++) {
            for (int j = i + 1; j < values.length; j++) {
                boolean hit = values[i] == values[j];
                if (labels[i] == labels[j]) {
                    same++;
                    sameHit += hit ? 1 : 0;
                } else {
                    different++;
                    differentHit += hit ? 1 : 0;
                }
            }
        }
        return new double[] {sameHit / (double) same, differentHit / (double) different};
    }

    @Test
    void deadCodesAreReseededFromTheBatchResiduals() {
        float[][] data = lowRank();
        try (RqVae model = RqVae.create(small(2).optDeadCodeSteps(2).build(), manager)) {
            RqVaeTrainer trainer = new RqVaeTrainer(model);
            trainer.train(data, options(5), new TrainingLog());
            float[][] book = model.quantizer().codebookValues(0);
            Arrays.fill(book[5], 1000f);
            model.quantizer().setCodebook(0, book);
            assertThat(column(model.codes(data), 0)).doesNotContain(5);

            TrainingLog log = trainer.train(data, options(6), new TrainingLog());
            float[] reseeded = model.quantizer().codebookValues(0)[5];
            double norm = Math.sqrt(KMeans.squaredDistance(reseeded, new float[8]));
            float[][] latents = model.latents(data);
            double maxLatent = 0;
            for (float[] z : latents) {
                maxLatent = Math.max(maxLatent, Math.sqrt(KMeans.squaredDistance(z, new float[8])));
            }
            assertThat(norm).as("re-seeded codeword near the data").isLessThan(2 * maxLatent);
            assertThat(trainer.deadCodeResets()).isGreaterThanOrEqualTo(1);
            assertThat(
                            log.records().stream()
                                    .mapToDouble(r -> r.extras().get("dead_code_resets"))
                                    .sum())
                    .isEqualTo(trainer.deadCodeResets());
            StepRecord third = log.records().get(2);
            assertThat(third.extras().get("dead_code_resets"))
                    .as("idle for steps 1 and 2, re-seeded at the start of step 3")
                    .isGreaterThanOrEqualTo(1.0);
        }
    }

    static int[] column(int[][] codes, int level) {
        return Arrays.stream(codes).mapToInt(r -> r[level]).toArray();
    }

    @Test
    void savedModelLoadsWithTheSameConfigWeightsAndCodes() {
        float[][] data = lowRank();
        RqVaeConfig config = small(3).build();
        try (RqVae model = RqVae.create(config, manager)) {
            new RqVaeTrainer(model).train(data, options(10), new TrainingLog());
            model.save(tmp.resolve("rqvae"));
            try (RqVae loaded = RqVae.load(tmp.resolve("rqvae"), manager)) {
                assertThat(loaded.config()).isEqualTo(config);
                assertThat(loaded.quantizer().initialised()).isTrue();
                assertThat(loaded.parameters().keySet())
                        .containsExactlyElementsOf(model.parameters().keySet());
                for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                    assertThat(loaded.parameters().get(e.getKey()).toFloatArray())
                            .as(e.getKey())
                            .containsExactly(e.getValue().toFloatArray());
                }
                assertThat(loaded.codes(data)).isDeepEqualTo(model.codes(data));
                GroupCsid csid = GroupCsid.of(loaded.codes(data)[0]);
                assertThat(csid.levels()).isEqualTo(3);
            }
        }
    }

    @Test
    void loadingRefusesWeightsThatDoNotFitTheConfig() {
        RqVaeConfig config = small(2).build();
        try (RqVae model = RqVae.create(config, manager)) {
            model.save(tmp.resolve("m"));
        }
        config.toBuilder().optLevels(3).build().save(tmp.resolve("m").resolve(RqVaeConfig.FILE));
        assertThatThrownBy(() -> RqVae.load(tmp.resolve("m"), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing RQ-VAE weight quantizer.codebook.2");
    }

    @Test
    void forwardLossIsReconstructionPlusQuantizerTerms() {
        float[][] data = RqVaeFixtures.slice(lowRank(), 0, 64);
        try (RqVae model = RqVae.create(small(2).build(), manager);
                NDManager m = manager.newSubManager()) {
            model.quantizer().initialise(model.latents(data), 1, 20);
            RqVae.Output out = model.forward(model.input(m, data, 0, data.length));
            float[][] hHat = model.reconstruct(data, 2);
            double expected = 0;
            for (int i = 0; i < data.length; i++) {
                expected += KMeans.squaredDistance(data[i], hHat[i]);
            }
            expected /= data.length;
            assertThat((double) out.reconstructionLoss().getFloat())
                    .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-3));
            assertThat(out.loss().getFloat())
                    .isCloseTo(
                            out.reconstructionLoss().getFloat() + out.quantizerLoss().getFloat(),
                            org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(out.codes().toLongArray())
                    .containsExactly(
                            Arrays.stream(model.codes(data))
                                    .flatMapToInt(Arrays::stream)
                                    .asLongStream()
                                    .toArray());
        }
    }
}
