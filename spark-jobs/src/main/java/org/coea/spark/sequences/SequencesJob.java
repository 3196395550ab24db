package org.coea.spark.sequences;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.sequence.SequenceRules;
import org.coea.spark.CommonOptions;
import org.coea.spark.SparkRows;
import org.coea.spark.Stage;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code sequences} stage: per user of the training split, the long-term sequence (Eq. 3) and
 * the short-term sequence with its category list, set and key hash ({@link SequenceRules}), in
 * {@code sequences}; users with too short a history go to {@code short_histories} with the reason.
 */
public final class SequencesJob implements Stage {
    /** The stage name. */
    public static final String NAME = "sequences";

    /** {@code sequences}. */
    public static final StructType SEQUENCES =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("long_items", DataTypes.createArrayType(DataTypes.LongType, false), false)
                    .add("short_items", DataTypes.createArrayType(DataTypes.LongType, false), false)
                    .add(
                            "short_categories",
                            DataTypes.createArrayType(DataTypes.IntegerType, false),
                            false)
                    .add(
                            "short_set",
                            DataTypes.createArrayType(DataTypes.IntegerType, false),
                            false)
                    .add("short_hash", DataTypes.StringType, false)
                    .add("clicks", DataTypes.IntegerType, false);

    /** {@code short_histories}. */
    public static final StructType SHORT_HISTORIES =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("clicks", DataTypes.IntegerType, false)
                    .add("long_length", DataTypes.IntegerType, false)
                    .add("reason", DataTypes.StringType, false);

    private static final StructType OUTCOME =
            new StructType()
                    .add("ok", DataTypes.BooleanType, false)
                    .add("user_id", DataTypes.LongType, false)
                    .add("long_items", DataTypes.createArrayType(DataTypes.LongType, false), true)
                    .add("short_items", DataTypes.createArrayType(DataTypes.LongType, false), true)
                    .add(
                            "short_categories",
                            DataTypes.createArrayType(DataTypes.IntegerType, false),
                            true)
                    .add("short_set", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
                    .add("short_hash", DataTypes.StringType, true)
                    .add("clicks", DataTypes.IntegerType, false)
                    .add("long_length", DataTypes.IntegerType, false)
                    .add("reason", DataTypes.StringType, true);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "per user: the filtered long-term sequence (Eq. 3) and the short-term category set";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return SequencesOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                SequencesOptions.from(conf));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse, SequencesOptions o) {
        long start = System.nanoTime();
        Dataset<Row> train =
                warehouse.read("train", SplitJob.NAME).filter(col("event_type").equalTo("click"));
        Dataset<Row> items = warehouse.read("items", IngestJob.NAME);
        Dataset<Row> grouped =
                train.join(items.select(col("item_id"), col("categories")), "item_id")
                        .groupBy("user_id")
                        .agg(
                                collect_list(
                                                struct(
                                                        col("ts"),
                                                        col("item_id"),
                                                        col("strength"),
                                                        col("categories")))
                                        .as("clicks"));
        MapPartitionsFunction<Row, Row> build = builder(o.rules());
        Dataset<Row> outcomes =
                grouped.mapPartitions(build, Encoders.row(OUTCOME))
                        .persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, Dataset<Row>> out = new LinkedHashMap<>();
        out.put(
                NAME,
                outcomes.filter(col("ok"))
                        .select(
                                "user_id",
                                "long_items",
                                "short_items",
                                "short_categories",
                                "short_set",
                                "short_hash",
                                "clicks"));
        out.put(
                "short_histories",
                outcomes.filter(col("ok").equalTo(false))
                        .select("user_id", "clicks", "long_length", "reason")
                        .coalesce(1));
        warehouse.publish(NAME, out);

        Row agg =
                warehouse
                        .read(NAME, NAME)
                        .selectExpr(
                                "count(*)",
                                "avg(size(long_items))",
                                "avg(size(short_set))",
                                "count(distinct short_hash)",
                                "sum(clicks)")
                        .first();
        long users = agg.getLong(0);
        long tooShort = warehouse.read("short_histories", NAME).count();
        outcomes.unpersist();
        StageMetrics m =
                StageMetrics.builder(NAME)
                        .rowsIn(users + tooShort)
                        .rowsOut(users)
                        .put("users", users)
                        .put("users_too_short", tooShort)
                        .put(
                                "mean_long_length",
                                users == 0 ? 0.0 : Math.round(agg.getDouble(1) * 100) / 100.0)
                        .put(
                                "mean_short_categories",
                                users == 0 ? 0.0 : Math.round(agg.getDouble(2) * 100) / 100.0)
                        .put("distinct_short_sets", agg.getLong(3))
                        .put("tau", o.tau())
                        .put("short_length", o.shortLength())
                        .seconds((System.nanoTime() - start) / 1e9)
                        .build();
        warehouse.writeMetrics(m);
        System.out.printf(
                Locale.ROOT,
                "sequences: %,d users (%,d too short, listed in short_histories)%n",
                users,
                tooShort);
        return m;
    }

    /**
     * Applies the rules to each user's collected clicks (static: nothing of the job is serialised).
     */
    private static MapPartitionsFunction<Row, Row> builder(SequenceRules rules) {
        return rows ->
                new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return rows.hasNext();
                    }

                    @Override
                    public Row next() {
                        Row r = rows.next();
                        List<Row> raw = r.getList(1);
                        List<SequenceRules.Click> clicks = new ArrayList<>(raw.size());
                        for (Row c : raw) {
                            List<Integer> cats = c.getList(3);
                            clicks.add(
                                    new SequenceRules.Click(
                                            c.getLong(0),
                                            c.getLong(1),
                                            c.getDouble(2),
                                            cats.stream().mapToInt(Integer::intValue).toArray()));
                        }
                        SequenceRules.Outcome out = rules.build(clicks);
                        if (out.sequence().isEmpty()) {
                            return RowFactory.create(
                                    false,
                                    r.getLong(0),
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    out.clicks(),
                                    out.longLength(),
                                    out.reason());
                        }
                        SequenceRules.UserSequence s = out.sequence().get();
                        return RowFactory.create(
                                true,
                                r.getLong(0),
                                SparkRows.array(s.longItems()),
                                SparkRows.array(s.shortItems()),
                                SparkRows.array(s.shortCategories()),
                                SparkRows.array(s.shortSet()),
                                s.shortHash(),
                                s.clicks(),
                                s.longItems().length,
                                null);
                    }
                };
    }
}
