package org.coea.spark.sequences;

import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.sequence.SequenceRules;

/**
 * The options of the sequences stage.
 *
 * @param tau Eq. 3 threshold on click strength
 * @param maxLength cap of the long-term sequence
 * @param shortLength n, the short-term window
 * @param minLength shortest usable long-term sequence
 */
public record SequencesOptions(double tau, int maxLength, int shortLength, int minLength) {

    public static final ConfigOption<Double> TAU =
            ConfigOptions.key("sequences.tau")
                    .doubleType()
                    .defaultValue(2.0)
                    .withDescription(
                            "tau of Eq. 3: long-term sequences keep clicks with strength >= tau (MovieLens: the rating).");
    public static final ConfigOption<Integer> MAX_LENGTH =
            ConfigOptions.key("sequences.max-length")
                    .intType()
                    .defaultValue(200)
                    .withDescription(
                            "Longest long-term sequence; the most recent clicks are kept.");
    public static final ConfigOption<Integer> SHORT_LENGTH =
            ConfigOptions.key("sequences.short-length")
                    .intType()
                    .defaultValue(10)
                    .withDescription("n: the short-term sequence is the last n training clicks.");
    public static final ConfigOption<Integer> MIN_LENGTH =
            ConfigOptions.key("sequences.min-length")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Users whose long-term sequence is shorter are listed in short_histories instead.");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(TAU, MAX_LENGTH, SHORT_LENGTH, MIN_LENGTH);

    /** Resolves the options. */
    public static SequencesOptions from(Configuration conf) {
        return new SequencesOptions(
                conf.get(TAU), conf.get(MAX_LENGTH), conf.get(SHORT_LENGTH), conf.get(MIN_LENGTH));
    }

    /** The core rules these options configure. */
    public SequenceRules rules() {
        return new SequenceRules(tau, maxLength, shortLength, minLength);
    }
}
