package org.coea.spark.csa;

import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.spark.CommonOptions;
import org.coea.spark.sequences.SequencesOptions;

/**
 * The options of the csa stage.
 *
 * @param hidden d
 * @param layers N_l
 * @param heads attention heads
 * @param dropout dropout rate while training
 * @param maxLength longest sequence the encoder reads
 * @param tau the Eq. 3 strength threshold, applied to the evaluation's validation and test clicks
 * @param epochs passes over the training users
 * @param batchSize users per step
 * @param learningRate peak learning rate
 * @param maxTrainUsers users sampled for training (seeded) when there are more
 * @param evalUsers users sampled for the evaluation (seeded) when there are more
 * @param workers 1: train on the driver; more: that many Spark barrier tasks
 * @param syncEvery steps between parameter averages of the barrier tasks
 * @param seed seed
 */
public record CsaOptions(
        int hidden,
        int layers,
        int heads,
        double dropout,
        int maxLength,
        double tau,
        int epochs,
        int batchSize,
        double learningRate,
        int maxTrainUsers,
        int evalUsers,
        int workers,
        int syncEvery,
        long seed)
        implements java.io.Serializable {

    public static final ConfigOption<Integer> HIDDEN =
            ConfigOptions.key("csa.hidden")
                    .intType()
                    .defaultValue(64)
                    .withDescription("d: the CSA embedding width (METHOD.md: 64).");
    public static final ConfigOption<Integer> LAYERS =
            ConfigOptions.key("csa.layers")
                    .intType()
                    .defaultValue(2)
                    .withDescription("N_l: causal self-attention blocks (2).");
    public static final ConfigOption<Integer> HEADS =
            ConfigOptions.key("csa.heads")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Attention heads (4).");
    public static final ConfigOption<Double> DROPOUT =
            ConfigOptions.key("csa.dropout")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription("Dropout while training (SASRec's ML-1M setting: 0.2).");
    public static final ConfigOption<Integer> EPOCHS =
            ConfigOptions.key("csa.epochs")
                    .intType()
                    .defaultValue(30)
                    .withDescription("Passes over the training users.");
    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("csa.batch-size")
                    .intType()
                    .defaultValue(128)
                    .withDescription("Users per training step (batches hold similar lengths).");
    public static final ConfigOption<Double> LEARNING_RATE =
            ConfigOptions.key("csa.learning-rate")
                    .doubleType()
                    .defaultValue(1.5e-3)
                    .withDescription("Peak learning rate (AdamW, 5% warmup, cosine decay).");
    public static final ConfigOption<Integer> MAX_LENGTH =
            ConfigOptions.key("csa.max-length")
                    .intType()
                    .defaultValue(128)
                    .withDescription(
                            "L: the encoder reads the last L items of each long-term sequence (SASRec's ML-1M setting is 200; 128 trains ML-1M in half the time at the same HR@10 within noise, docs/benchmarks.md).");
    public static final ConfigOption<Integer> MAX_TRAIN_USERS =
            ConfigOptions.key("csa.max-train-users")
                    .intType()
                    .defaultValue(200_000)
                    .withDescription(
                            "At most this many training users, a seeded sample; h_u is written for every user.");
    public static final ConfigOption<Integer> EVAL_USERS =
            ConfigOptions.key("csa.eval-users")
                    .intType()
                    .defaultValue(20_000)
                    .withDescription(
                            "At most this many users in the SASRec-protocol evaluation, a seeded sample.");
    public static final ConfigOption<Integer> WORKERS =
            ConfigOptions.key("csa.workers")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "1: train on the driver; N > 1: N Spark barrier tasks train data-parallel and average parameters (needs N task slots).");
    public static final ConfigOption<Integer> SYNC_EVERY =
            ConfigOptions.key("csa.sync-every")
                    .intType()
                    .defaultValue(20)
                    .withDescription(
                            "With csa.workers > 1: optimizer steps between parameter averages.");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    HIDDEN,
                    LAYERS,
                    HEADS,
                    DROPOUT,
                    EPOCHS,
                    BATCH_SIZE,
                    LEARNING_RATE,
                    MAX_TRAIN_USERS,
                    EVAL_USERS,
                    WORKERS,
                    SYNC_EVERY,
                    MAX_LENGTH,
                    SequencesOptions.TAU);

    /** Validates the values. */
    public CsaOptions {
        if (epochs <= 0
                || batchSize <= 0
                || maxTrainUsers <= 0
                || evalUsers < 0
                || workers <= 0
                || syncEvery <= 0) {
            throw new IllegalArgumentException(
                    "csa: epochs, batch size, max train users, workers and sync-every must be positive, eval users >= 0");
        }
    }

    /** Resolves the options. */
    public static CsaOptions from(Configuration conf) {
        return new CsaOptions(
                conf.get(HIDDEN),
                conf.get(LAYERS),
                conf.get(HEADS),
                conf.get(DROPOUT),
                conf.get(MAX_LENGTH),
                conf.get(SequencesOptions.TAU),
                conf.get(EPOCHS),
                conf.get(BATCH_SIZE),
                conf.get(LEARNING_RATE),
                conf.get(MAX_TRAIN_USERS),
                conf.get(EVAL_USERS),
                conf.get(WORKERS),
                conf.get(SYNC_EVERY),
                conf.get(CommonOptions.SEED));
    }

    /** Options for small tests: the given model and training sizes, everything else default. */
    public static CsaOptions small(
            int hidden,
            int layers,
            int heads,
            int maxLength,
            int epochs,
            int batchSize,
            long seed) {
        return new CsaOptions(
                hidden, layers, heads, 0.0, maxLength, 1.0, epochs, batchSize, 1e-3, 200_000,
                20_000, 1, 20, seed);
    }

    /**
     * The optimiser settings of a CSA training run of {@code steps} steps: AdamW at {@link
     * #learningRate()} with 5% warmup and cosine decay, {@link #batchSize()} users per step, seeded
     * by {@code seed} (the driver uses {@link #seed()}; each barrier worker its own).
     */
    public org.coea.model.train.TrainingOptions trainingOptions(int steps, long seed) {
        return org.coea.model.train.TrainingOptions.builder()
                .setSteps(steps)
                .setLearningRate(learningRate)
                .optBatchSize(batchSize)
                .optWarmupSteps(steps / 20)
                .optDecay(org.coea.model.train.LearningRateSchedule.Decay.COSINE)
                .optSeed(seed)
                .build();
    }

    /** These options with {@code workers} barrier tasks averaging every {@code syncEvery} steps. */
    public CsaOptions withWorkers(int workers, int syncEvery) {
        return new CsaOptions(
                hidden,
                layers,
                heads,
                dropout,
                maxLength,
                tau,
                epochs,
                batchSize,
                learningRate,
                maxTrainUsers,
                evalUsers,
                workers,
                syncEvery,
                seed);
    }
}
