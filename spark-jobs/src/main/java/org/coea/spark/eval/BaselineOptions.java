package org.coea.spark.eval;

import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;

/**
 * The trained exploitation baselines' options (GRU4Rec and Two-tower in {@code coea compare}); each
 * is trained once per compare seed.
 */
public record BaselineOptions(
        int hidden,
        int maxLength,
        int epochs,
        int batchSize,
        double learningRate,
        double dropout,
        double temperature) {

    public static final ConfigOption<Integer> HIDDEN =
            ConfigOptions.key("baseline.hidden")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Embedding and hidden width of GRU4Rec and Two-tower.");

    public static final ConfigOption<Integer> MAX_LENGTH =
            ConfigOptions.key("baseline.max-length")
                    .intType()
                    .defaultValue(30)
                    .withDescription(
                            "The most recent training items GRU4Rec and Two-tower read per user (GRU4Rec trains on each of their positions).");

    public static final ConfigOption<Integer> EPOCHS =
            ConfigOptions.key("baseline.epochs")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Training epochs of GRU4Rec (every user once) and Two-tower (up to 8 (history, next item) cuts per user).");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("baseline.batch-size")
                    .intType()
                    .defaultValue(128)
                    .withDescription(
                            "Users per GRU4Rec batch; (history, next item) pairs per Two-tower batch, which are also its in-batch negatives.");

    public static final ConfigOption<Double> LEARNING_RATE =
            ConfigOptions.key("baseline.learning-rate")
                    .doubleType()
                    .defaultValue(2e-3)
                    .withDescription(
                            "AdamW peak learning rate of the baselines (5% warm-up, cosine decay).");

    public static final ConfigOption<Double> DROPOUT =
            ConfigOptions.key("baseline.dropout")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription("Dropout on the baselines' item embeddings while training.");

    public static final ConfigOption<Double> TEMPERATURE =
            ConfigOptions.key("baseline.temperature")
                    .doubleType()
                    .defaultValue(0.05)
                    .withDescription("Two-tower softmax temperature over cosine scores.");

    /** Every option. */
    public static List<ConfigOption<?>> options() {
        return List.of(HIDDEN, MAX_LENGTH, EPOCHS, BATCH_SIZE, LEARNING_RATE, DROPOUT, TEMPERATURE);
    }

    /** The options' values. */
    public static BaselineOptions from(Configuration conf) {
        return new BaselineOptions(
                conf.get(HIDDEN),
                conf.get(MAX_LENGTH),
                conf.get(EPOCHS),
                conf.get(BATCH_SIZE),
                conf.get(LEARNING_RATE),
                conf.get(DROPOUT),
                conf.get(TEMPERATURE));
    }
}
