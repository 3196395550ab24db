package org.coea.spark.split;

import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.split.SplitMode;
import org.coea.spark.ingest.IngestOptions;

/**
 * The options of the split stage and their resolved values.
 *
 * @param mode per-user, by-day, or auto
 * @param testFraction per-user mode: share of each user's clicks for test
 * @param validFraction per-user mode: share before the test part for validation
 * @param testDays by-day mode: last days for test
 * @param validDays by-day mode: days before the test days for validation
 * @param longTailShare bottom share of categories flagged long-tail by training clicks
 */
public record SplitOptions(
        SplitMode mode,
        double testFraction,
        double validFraction,
        int testDays,
        int validDays,
        double longTailShare) {

    public static final ConfigOption<SplitMode> MODE =
            ConfigOptions.key("split.mode")
                    .enumType(SplitMode.class)
                    .defaultValue(SplitMode.AUTO)
                    .withDescription(
                            "per-user (each user's clicks by time), by-day (calendar days), or auto: per-user for MovieLens, by-day otherwise.");
    public static final ConfigOption<Double> TEST_FRACTION =
            ConfigOptions.key("split.test-fraction")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription(
                            "per-user: the last floor(n * this) clicks of each user are test.");
    public static final ConfigOption<Double> VALID_FRACTION =
            ConfigOptions.key("split.valid-fraction")
                    .doubleType()
                    .defaultValue(0.1)
                    .withDescription(
                            "per-user: the floor(n * this) clicks before the test part are validation.");
    public static final ConfigOption<Integer> TEST_DAYS =
            ConfigOptions.key("split.test-days")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "by-day: the last days (UTC) are test (the paper's MTRec: 2).");
    public static final ConfigOption<Integer> VALID_DAYS =
            ConfigOptions.key("split.valid-days")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "by-day: the days before the test days are validation (MTRec: 3).");

    /** Every split option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    MODE,
                    TEST_FRACTION,
                    VALID_FRACTION,
                    TEST_DAYS,
                    VALID_DAYS,
                    IngestOptions.LONG_TAIL_SHARE);

    /** Resolves the options. */
    public static SplitOptions from(Configuration conf) {
        return new SplitOptions(
                conf.get(MODE),
                conf.get(TEST_FRACTION),
                conf.get(VALID_FRACTION),
                conf.get(TEST_DAYS),
                conf.get(VALID_DAYS),
                conf.get(IngestOptions.LONG_TAIL_SHARE));
    }
}
