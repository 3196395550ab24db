package org.coea.spark.ingest;

import java.util.List;
import java.util.Optional;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.ingest.CategoryMapping;
import org.coea.common.synthetic.SyntheticSpec;
import org.coea.spark.CommonOptions;

/**
 * The options of the ingest stage, and their resolved, validated values.
 *
 * @param source which input kind to read
 * @param movielens the MovieLens directory, for {@link Source#MOVIELENS}
 * @param clicks the click log file or directory, for {@link Source#CLICKS}
 * @param clicksFormat the click log format
 * @param items the items file or directory, for {@link Source#CLICKS}
 * @param users the optional users file or directory, for {@link Source#CLICKS}
 * @param synthetic the generator spec, for {@link Source#SYNTHETIC}
 * @param categoryMapping how multi-category items map to categories
 * @param maxRejectRate the reject share above which the stage fails
 * @param longTailShare the bottom share of categories flagged long-tail
 * @param mode whether the input replaces the warehouse's tables or is merged into them
 * @param retainDays in {@link Mode#APPEND}, the days of events kept before the newest (0: all)
 */
public record IngestOptions(
        Source source,
        Optional<String> movielens,
        Optional<String> clicks,
        LogFormat clicksFormat,
        Optional<String> items,
        Optional<String> users,
        SyntheticSpec synthetic,
        CategoryMapping categoryMapping,
        double maxRejectRate,
        double longTailShare,
        Mode mode,
        int retainDays) {

    /** Options that replace the warehouse's tables. */
    public IngestOptions(
            Source source,
            Optional<String> movielens,
            Optional<String> clicks,
            LogFormat clicksFormat,
            Optional<String> items,
            Optional<String> users,
            SyntheticSpec synthetic,
            CategoryMapping categoryMapping,
            double maxRejectRate,
            double longTailShare) {
        this(
                source,
                movielens,
                clicks,
                clicksFormat,
                items,
                users,
                synthetic,
                categoryMapping,
                maxRejectRate,
                longTailShare,
                Mode.REPLACE,
                0);
    }

    /** How the input meets the tables already in the warehouse. */
    public enum Mode {
        /** The input is the whole data set: events, items, users, categories are rewritten. */
        REPLACE,
        /**
         * The input is an increment (e.g. one day's export): its events are added to the events
         * table (an event already there is not added twice, so a rerun of the same increment
         * changes nothing), its items and users replace those with the same id and add new ones,
         * category ids stay as they are (new categories get the next ids), and the rejects are
         * added to the rejects table. The first increment into an empty warehouse is a replace.
         */
        APPEND
    }

    /** These options with another mode and retention. */
    public IngestOptions withMode(Mode newMode, int newRetainDays) {
        return new IngestOptions(
                source,
                movielens,
                clicks,
                clicksFormat,
                items,
                users,
                synthetic,
                categoryMapping,
                maxRejectRate,
                longTailShare,
                newMode,
                newRetainDays);
    }

    /** Input kinds. */
    public enum Source {
        MOVIELENS,
        CLICKS,
        SYNTHETIC
    }

    /** Generic log file formats. */
    public enum LogFormat {
        /** From the file extension: {@code .csv} or {@code .parquet} (a directory: its files). */
        AUTO,
        CSV,
        PARQUET
    }

    public static final ConfigOption<String> MOVIELENS =
            ConfigOptions.key("movielens")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "A GroupLens MovieLens directory, ML-1M (ratings.dat) or ML-100K (u.data) format, detected automatically.");
    public static final ConfigOption<String> CLICKS =
            ConfigOptions.key("clicks")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "A generic click log (CSV or Parquet file or directory; docs/data-formats.md); needs --items.");
    public static final ConfigOption<LogFormat> CLICKS_FORMAT =
            ConfigOptions.key("clicks.format")
                    .enumType(LogFormat.class)
                    .defaultValue(LogFormat.AUTO)
                    .withDescription("Format of --clicks, --items and --users files.");
    public static final ConfigOption<String> ITEMS =
            ConfigOptions.key("items")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "Items of a generic click log: item_id, title, categories (names separated by |).");
    public static final ConfigOption<String> USERS =
            ConfigOptions.key("users")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "Optional users of a generic click log: user_id plus feature columns.");
    public static final ConfigOption<Boolean> SYNTHETIC =
            ConfigOptions.key("synthetic")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Generate a seeded synthetic log (synthetic.* options) instead of reading files.");
    public static final ConfigOption<CategoryMapping> CATEGORY_MAPPING =
            ConfigOptions.key("ingest.category-mapping")
                    .enumType(CategoryMapping.class)
                    .defaultValue(CategoryMapping.ALL)
                    .withDescription(
                            "How an item with several genres/categories maps: all of them, or the first listed (primary).");
    public static final ConfigOption<Double> MAX_REJECT_RATE =
            ConfigOptions.key("ingest.max-reject-rate")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription(
                            "Fail when the rejected share of any input (events, items, users) exceeds this (0.001 = 0.1%).");
    public static final ConfigOption<Mode> MODE =
            ConfigOptions.key("ingest.mode")
                    .enumType(Mode.class)
                    .defaultValue(Mode.REPLACE)
                    .withDescription(
                            "replace: the input is the whole data set and rewrites events, items, users and categories; append: the input is an increment (the daily DAG's run-date export), merged into the tables: events added without duplicates (a rerun changes nothing), items and users upserted by id, category ids kept (new ones appended), rejects added.");

    public static final ConfigOption<Integer> RETAIN_DAYS =
            ConfigOptions.key("ingest.retain-days")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "With ingest.mode append: keep only the events of the last N days before the newest event (0: keep all).");

    public static final ConfigOption<Double> LONG_TAIL_SHARE =
            ConfigOptions.key("categories.long-tail-share")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription(
                            "Bottom share of categories by click volume flagged long-tail (CLTP@K).");

    public static final ConfigOption<Long> SYN_USERS =
            ConfigOptions.key("synthetic.users")
                    .longType()
                    .defaultValue(20_000L)
                    .withDescription("Synthetic users.");
    public static final ConfigOption<Integer> SYN_ITEMS =
            ConfigOptions.key("synthetic.items")
                    .intType()
                    .defaultValue(20_000)
                    .withDescription("Synthetic items.");
    public static final ConfigOption<Integer> SYN_CATEGORIES =
            ConfigOptions.key("synthetic.categories")
                    .intType()
                    .defaultValue(200)
                    .withDescription("Synthetic categories (the paper's industrial set has 594).");
    public static final ConfigOption<Integer> SYN_INTERACTIONS =
            ConfigOptions.key("synthetic.interactions-per-user")
                    .intType()
                    .defaultValue(30)
                    .withDescription("Mean clicks per synthetic user (at least 5 each).");
    public static final ConfigOption<Double> SYN_ZIPF =
            ConfigOptions.key("synthetic.zipf-exponent")
                    .doubleType()
                    .defaultValue(1.1)
                    .withDescription(
                            "Zipf exponent of category sizes and item/category popularity.");
    public static final ConfigOption<Integer> SYN_GROUPS =
            ConfigOptions.key("synthetic.groups")
                    .intType()
                    .defaultValue(50)
                    .withDescription("Latent user groups, each with its own category preferences.");
    public static final ConfigOption<Integer> SYN_CATEGORIES_PER_GROUP =
            ConfigOptions.key("synthetic.categories-per-group")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Preferred categories per latent group.");
    public static final ConfigOption<Double> SYN_EXPLORE =
            ConfigOptions.key("synthetic.explore-rate")
                    .doubleType()
                    .defaultValue(0.15)
                    .withDescription(
                            "Share of clicks drawn from global category popularity instead of the group's.");
    public static final ConfigOption<Integer> SYN_DAYS =
            ConfigOptions.key("synthetic.days")
                    .intType()
                    .defaultValue(25)
                    .withDescription("Days covered by the synthetic log (the paper's MTRec: 25).");
    public static final ConfigOption<Double> SYN_EXPOSURES =
            ConfigOptions.key("synthetic.exposures-per-click")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription("Mean shown-but-not-clicked exposures per click.");

    /** Every ingest option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    MOVIELENS,
                    CLICKS,
                    ITEMS,
                    USERS,
                    CLICKS_FORMAT,
                    SYNTHETIC,
                    CATEGORY_MAPPING,
                    MAX_REJECT_RATE,
                    MODE,
                    RETAIN_DAYS,
                    LONG_TAIL_SHARE,
                    SYN_USERS,
                    SYN_ITEMS,
                    SYN_CATEGORIES,
                    SYN_INTERACTIONS,
                    SYN_ZIPF,
                    SYN_GROUPS,
                    SYN_CATEGORIES_PER_GROUP,
                    SYN_EXPLORE,
                    SYN_DAYS,
                    SYN_EXPOSURES);

    /**
     * Resolves and validates the options.
     *
     * @param syntheticByDefault whether no input option means the synthetic generator ({@code run})
     *     rather than an error ({@code ingest})
     */
    public static IngestOptions from(Configuration conf, boolean syntheticByDefault) {
        Optional<String> ml = conf.optional(MOVIELENS);
        Optional<String> clicks = conf.optional(CLICKS);
        boolean syn = conf.get(SYNTHETIC);
        int given = (ml.isPresent() ? 1 : 0) + (clicks.isPresent() ? 1 : 0) + (syn ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException(
                    "give only one of --movielens, --clicks, --synthetic");
        }
        Source source;
        if (ml.isPresent()) {
            source = Source.MOVIELENS;
        } else if (clicks.isPresent()) {
            source = Source.CLICKS;
            if (conf.optional(ITEMS).isEmpty()) {
                throw new IllegalArgumentException(
                        "--clicks needs --items (the item -> categories table)");
            }
        } else if (syn || syntheticByDefault) {
            source = Source.SYNTHETIC;
        } else {
            throw new IllegalArgumentException(
                    "no input: give --movielens DIR, --clicks PATH --items PATH, or --synthetic");
        }
        double rate = conf.get(MAX_REJECT_RATE);
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("ingest.max-reject-rate must be in [0, 1]: " + rate);
        }
        SyntheticSpec spec =
                new SyntheticSpec(
                        conf.get(SYN_USERS),
                        conf.get(SYN_ITEMS),
                        conf.get(SYN_CATEGORIES),
                        conf.get(SYN_INTERACTIONS),
                        conf.get(SYN_ZIPF),
                        conf.get(SYN_GROUPS),
                        Math.min(conf.get(SYN_CATEGORIES_PER_GROUP), conf.get(SYN_CATEGORIES)),
                        conf.get(SYN_EXPLORE),
                        conf.get(SYN_DAYS),
                        SyntheticSpec.DEFAULT_START,
                        conf.get(SYN_EXPOSURES),
                        conf.get(CommonOptions.SEED));
        return new IngestOptions(
                source,
                ml,
                clicks,
                conf.get(CLICKS_FORMAT),
                conf.optional(ITEMS),
                conf.optional(USERS),
                spec,
                conf.get(CATEGORY_MAPPING),
                rate,
                conf.get(LONG_TAIL_SHARE),
                conf.get(MODE),
                retainDays(conf.get(RETAIN_DAYS)));
    }

    private static int retainDays(int days) {
        if (days < 0) {
            throw new IllegalArgumentException(RETAIN_DAYS.key() + " must be >= 0, got " + days);
        }
        return days;
    }
}
