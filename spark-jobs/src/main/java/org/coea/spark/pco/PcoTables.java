package org.coea.spark.pco;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The warehouse tables of the PCO stages (docs/data-formats.md). */
final class PcoTables {
    private PcoTables() {}

    static final String NOVELTY_SFT = "novelty_sft";
    static final String RELEVANCE_PAIRS = "relevance_pairs";
    static final String BEHAVIOUR = "pco_behaviour";
    static final String STATES = "pco_states";
    static final String CANDIDATES = "candidates";
    static final String NOVEL_CATEGORIES = "novel_categories";

    private static final org.apache.spark.sql.types.ArrayType INTS =
            DataTypes.createArrayType(DataTypes.IntegerType, false);

    /** Eq. 8 examples. */
    static final StructType NOVELTY =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("position", DataTypes.IntegerType, false)
                    .add("csid", DataTypes.StringType, false)
                    .add("recent", INTS, false)
                    .add("target", DataTypes.IntegerType, false)
                    .add("holdout", DataTypes.BooleanType, false);

    /** Eq. 11 pairs. */
    static final StructType PAIRS =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("position", DataTypes.IntegerType, false)
                    .add("csid", DataTypes.StringType, false)
                    .add("recent", INTS, false)
                    .add("positive", DataTypes.IntegerType, false)
                    .add("negative", DataTypes.IntegerType, false)
                    .add("from_exposure", DataTypes.BooleanType, false)
                    .add("holdout", DataTypes.BooleanType, false);

    /** One unit of stored behaviour per click after a user's first (Eq. 15). */
    static final StructType BEHAVIOUR_ROWS =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("position", DataTypes.IntegerType, false)
                    .add("slice", DataTypes.IntegerType, false)
                    .add("csid", DataTypes.StringType, false)
                    .add("recent", INTS, false)
                    .add("clicked", INTS, false);

    /** A user's short-term state at the end of each slice the user clicked in. */
    static final StructType STATE_ROWS =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("slice", DataTypes.IntegerType, false)
                    .add("csid", DataTypes.StringType, false)
                    .add("recent", INTS, false)
                    .add("short_set", INTS, false)
                    .add("short_hash", DataTypes.StringType, false)
                    .add("history", INTS, false)
                    .add("slice_categories", INTS, false);

    /** Proposals per key (Eq. 10). */
    static final StructType CANDIDATE_ROWS =
            new StructType()
                    .add("csid", DataTypes.StringType, false)
                    .add("short_set", INTS, false)
                    .add("short_hash", DataTypes.StringType, false)
                    .add("recent", INTS, false)
                    .add(
                            "candidates",
                            DataTypes.createArrayType(
                                    new StructType()
                                            .add("category_id", DataTypes.IntegerType, false)
                                            .add("log_prob", DataTypes.DoubleType, false),
                                    false),
                            false);

    /** Kept, ranked novel categories per key (Eq. 14): what the store stage serves. */
    static final StructType NOVEL_ROWS =
            new StructType()
                    .add("csid", DataTypes.StringType, false)
                    .add("short_set", INTS, false)
                    .add("short_hash", DataTypes.StringType, false)
                    .add(
                            "categories",
                            DataTypes.createArrayType(
                                    new StructType()
                                            .add("category_id", DataTypes.IntegerType, false)
                                            .add("score", DataTypes.DoubleType, false),
                                    false),
                            false)
                    .add("model_version", DataTypes.StringType, false)
                    .add("version", DataTypes.LongType, false);
}
