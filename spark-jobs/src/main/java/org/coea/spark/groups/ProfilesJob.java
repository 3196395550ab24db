package org.coea.spark.groups;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.profile.StatisticalProfiler;
import org.coea.spark.CommonOptions;
import org.coea.spark.SparkRows;
import org.coea.spark.Stage;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code profiles} stage: one textual profile per group from its representatives' long-term
 * sequences, written by the {@link StatisticalProfiler} (dominant and distinctive categories,
 * example titles). A Profile language model (model-runtime) is the alternative the design names;
 * this stage does not run one yet.
 */
public final class ProfilesJob implements Stage {
    /** The stage name. */
    public static final String NAME = "profiles";

    /** {@code group_profiles}. */
    public static final StructType PROFILES =
            new StructType()
                    .add("csid", DataTypes.StringType, false)
                    .add("profile", DataTypes.StringType, false)
                    .add(
                            "dominant_categories",
                            DataTypes.createArrayType(DataTypes.StringType, false),
                            false)
                    .add(
                            "distinctive_categories",
                            DataTypes.createArrayType(DataTypes.StringType, false),
                            false)
                    .add(
                            "example_titles",
                            DataTypes.createArrayType(DataTypes.StringType, false),
                            false);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "a textual profile per group from its representatives (statistical profiler)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of();
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(spark, new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)));
    }

    /** Runs the stage. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse) {
        long start = System.nanoTime();
        Dataset<Row> groups = warehouse.read("groups", GroupsJob.NAME);
        Dataset<Row> sequences = warehouse.read(SequencesJob.NAME, SequencesJob.NAME);
        Dataset<Row> items = warehouse.read("items", IngestJob.NAME);
        Dataset<Row> categories = warehouse.read("train_categories", SplitJob.NAME);
        Map<Integer, String> names = new HashMap<>();
        Map<String, Long> global = new HashMap<>();
        for (Row c : categories.collectAsList()) {
            names.put(c.getInt(0), c.getString(1));
            global.put(c.getString(1), c.getLong(2));
        }
        // Representative clicks: (csid, item) over the representatives' long-term sequences.
        Dataset<Row> repClicks =
                groups.select(col("csid"), explode(col("representatives")).as("user_id"))
                        .join(
                                sequences.select(
                                        col("user_id"), explode(col("long_items")).as("item_id")),
                                "user_id")
                        .join(items.select("item_id", "title", "categories"), "item_id");
        Map<String, Map<String, Long>> groupCats = new HashMap<>();
        for (Row r :
                repClicks
                        .select(col("csid"), explode(col("categories")).as("c"))
                        .groupBy("csid", "c")
                        .count()
                        .collectAsList()) {
            groupCats
                    .computeIfAbsent(r.getString(0), k -> new HashMap<>())
                    .put(names.getOrDefault(r.getInt(1), "category " + r.getInt(1)), r.getLong(2));
        }
        Map<String, Map<String, Long>> groupTitles = new HashMap<>();
        for (Row r : repClicks.groupBy("csid", "title").count().collectAsList()) {
            groupTitles
                    .computeIfAbsent(r.getString(0), k -> new HashMap<>())
                    .put(r.getString(1), r.getLong(2));
        }
        StatisticalProfiler profiler = new StatisticalProfiler(3, 2, 3, 3);
        List<Row> out = new ArrayList<>();
        for (Row g : groups.select("csid").orderBy("csid").collectAsList()) {
            String csid = g.getString(0);
            StatisticalProfiler.Profile p =
                    profiler.profile(
                            groupCats.getOrDefault(csid, Map.of()),
                            global,
                            groupTitles.getOrDefault(csid, Map.of()));
            out.add(
                    RowFactory.create(
                            csid,
                            p.text(),
                            SparkRows.array(p.dominantCategories()),
                            SparkRows.array(p.distinctiveCategories()),
                            SparkRows.array(p.exampleTitles())));
        }
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        tables.put("group_profiles", spark.createDataFrame(out, PROFILES).coalesce(1));
        warehouse.publish(NAME, tables);
        StageMetrics m =
                StageMetrics.builder(NAME)
                        .rowsIn(out.size())
                        .rowsOut(out.size())
                        .put("profiler", "statistical")
                        .put("groups", (long) out.size())
                        .seconds((System.nanoTime() - start) / 1e9)
                        .build();
        warehouse.writeMetrics(m);
        if (!out.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "profiles: %d groups, e.g. %s: %s%n",
                    out.size(),
                    out.get(0).getString(0),
                    out.get(0).getString(1));
        }
        return m;
    }
}
