package org.coea.spark.groups;

import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.spark.CommonOptions;

/**
 * The options of the groups stage.
 *
 * @param levels L_q
 * @param codebookSize K_cb
 * @param groups G
 * @param representatives M
 * @param latentDim the RQ-VAE latent width
 * @param epochs passes over the users
 * @param batchSize users per step
 * @param learningRate peak learning rate
 * @param maxTrainUsers users the RQ-VAE trains on (a seeded sample when there are more)
 * @param seed seed
 */
public record GroupsOptions(
        int levels,
        int codebookSize,
        int groups,
        int representatives,
        int latentDim,
        int epochs,
        int batchSize,
        double learningRate,
        int maxTrainUsers,
        long seed) {

    public static final ConfigOption<Integer> LEVELS =
            ConfigOptions.key("groups.levels")
                    .intType()
                    .defaultValue(3)
                    .withDescription("L_q: residual quantizer levels (METHOD.md: 3).");
    public static final ConfigOption<Integer> CODEBOOK_SIZE =
            ConfigOptions.key("groups.codebook-size")
                    .intType()
                    .defaultValue(16)
                    .withDescription("K_cb: codes per level (ML-1M 16, industrial 64).");
    public static final ConfigOption<Integer> COUNT =
            ConfigOptions.key("groups.count")
                    .intType()
                    .defaultValue(50)
                    .withDescription(
                            "G: target number of groups; smaller CSIDs merge into the nearest of the G largest (ML-1M 50, industrial 4000).");
    public static final ConfigOption<Integer> REPRESENTATIVES =
            ConfigOptions.key("groups.representatives")
                    .intType()
                    .defaultValue(10)
                    .withDescription("M: users nearest each group centroid (Eq. 7).");
    public static final ConfigOption<Integer> LATENT_DIM =
            ConfigOptions.key("groups.latent-dim")
                    .intType()
                    .defaultValue(32)
                    .withDescription("Width of the RQ-VAE latent space.");
    public static final ConfigOption<Integer> EPOCHS =
            ConfigOptions.key("groups.epochs")
                    .intType()
                    .defaultValue(50)
                    .withDescription("Passes of RQ-VAE training over the users.");
    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("groups.batch-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription("Users per RQ-VAE training step.");
    public static final ConfigOption<Double> LEARNING_RATE =
            ConfigOptions.key("groups.learning-rate")
                    .doubleType()
                    .defaultValue(1e-3)
                    .withDescription("Peak learning rate of RQ-VAE training.");

    public static final ConfigOption<Integer> MAX_TRAIN_USERS =
            ConfigOptions.key("groups.max-train-users")
                    .intType()
                    .defaultValue(100_000)
                    .withDescription(
                            "The RQ-VAE trains on at most this many users (a seeded sample); every user gets a CSID.");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    LEVELS,
                    CODEBOOK_SIZE,
                    COUNT,
                    REPRESENTATIVES,
                    LATENT_DIM,
                    EPOCHS,
                    BATCH_SIZE,
                    LEARNING_RATE,
                    MAX_TRAIN_USERS);

    /** Resolves the options. */
    public static GroupsOptions from(Configuration conf) {
        return new GroupsOptions(
                conf.get(LEVELS),
                conf.get(CODEBOOK_SIZE),
                conf.get(COUNT),
                conf.get(REPRESENTATIVES),
                conf.get(LATENT_DIM),
                conf.get(EPOCHS),
                conf.get(BATCH_SIZE),
                conf.get(LEARNING_RATE),
                conf.get(MAX_TRAIN_USERS),
                conf.get(CommonOptions.SEED));
    }
}
