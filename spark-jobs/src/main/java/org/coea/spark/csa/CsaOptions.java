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
 * @param maxLength longest sequence the encoder reads
 * @param epochs passes over the training users
 * @param batchSize users per step
 * @param learningRate peak learning rate
 * @param maxTrainUsers users sampled for training (seeded) when there are more
 * @param seed seed
 */
public record CsaOptions(
        int hidden,
        int layers,
        int heads,
        int maxLength,
        int epochs,
        int batchSize,
        double learningRate,
        int maxTrainUsers,
        long seed) {

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
    public static final ConfigOption<Integer> EPOCHS =
            ConfigOptions.key("csa.epochs")
                    .intType()
                    .defaultValue(30)
                    .withDescription("Passes over the training users.");
    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("csa.batch-size")
                    .intType()
                    .defaultValue(128)
                    .withDescription("Users per training step.");
    public static final ConfigOption<Double> LEARNING_RATE =
            ConfigOptions.key("csa.learning-rate")
                    .doubleType()
                    .defaultValue(1e-3)
                    .withDescription("Peak learning rate (AdamW, 5% warmup).");
    public static final ConfigOption<Integer> MAX_TRAIN_USERS =
            ConfigOptions.key("csa.max-train-users")
                    .intType()
                    .defaultValue(200_000)
                    .withDescription(
                            "Training runs on the driver: at most this many users, sampled with the seed; h_u is written for every user.");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    HIDDEN,
                    LAYERS,
                    HEADS,
                    EPOCHS,
                    BATCH_SIZE,
                    LEARNING_RATE,
                    MAX_TRAIN_USERS,
                    SequencesOptions.MAX_LENGTH);

    /** Resolves the options. */
    public static CsaOptions from(Configuration conf) {
        return new CsaOptions(
                conf.get(HIDDEN),
                conf.get(LAYERS),
                conf.get(HEADS),
                conf.get(SequencesOptions.MAX_LENGTH),
                conf.get(EPOCHS),
                conf.get(BATCH_SIZE),
                conf.get(LEARNING_RATE),
                conf.get(MAX_TRAIN_USERS),
                conf.get(CommonOptions.SEED));
    }
}
