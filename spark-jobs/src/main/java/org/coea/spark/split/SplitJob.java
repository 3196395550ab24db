package org.coea.spark.split;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.split.DaySplit;
import org.coea.common.split.LongTail;
import org.coea.common.split.PerUserSplit;
import org.coea.common.split.SplitMode;
import org.coea.common.split.SplitPart;
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.ingest.CategoryVolumes;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.ingest.IngestSchemas;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code split} stage: cuts {@code events} by time into {@code train}, {@code valid} and {@code
 * test} (same schema as {@code events}) and writes {@code train_categories}, the categories with
 * their training click volume and long-tail flag (the LT set of the metrics).
 *
 * <p>Per-user mode applies {@link PerUserSplit} to each user's clicks ordered by (ts, item_id); a
 * user's exposures follow the clicks: at or after the first test click's time they are test, at or
 * after the first validation click's time validation, else training. By-day mode applies {@link
 * DaySplit} to every event's UTC day.
 */
public final class SplitJob implements Stage {
    /** The stage name. */
    public static final String NAME = "split";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "cut events by time into train, valid, test and compute training category volumes";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return SplitOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                SplitOptions.from(conf));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse, SplitOptions o) {
        long start = System.nanoTime();
        Dataset<Row> events = warehouse.read("events", IngestJob.NAME);
        Dataset<Row> items = warehouse.read("items", IngestJob.NAME);
        Dataset<Row> categories = warehouse.read("categories", IngestJob.NAME);
        SplitMode mode = o.mode();
        if (mode == SplitMode.AUTO) {
            Object format =
                    warehouse.readMetrics(IngestJob.NAME).map(m -> m.get("format")).orElse("");
            mode =
                    String.valueOf(format).startsWith("movielens")
                            ? SplitMode.PER_USER
                            : SplitMode.BY_DAY;
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("mode", mode.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        Dataset<Row> parted =
                (mode == SplitMode.PER_USER ? perUser(events, o) : byDay(events, o, figures))
                        .persist(StorageLevel.MEMORY_AND_DISK());

        Column[] eventColumns = new Column[IngestSchemas.EVENTS.size()];
        for (int i = 0; i < eventColumns.length; i++) {
            eventColumns[i] = col(IngestSchemas.EVENTS.fields()[i].name());
        }
        Map<String, Dataset<Row>> out = new LinkedHashMap<>();
        for (SplitPart part : SplitPart.values()) {
            out.put(
                    part.tableName(),
                    parted.filter(col("part").equalTo(part.tableName())).select(eventColumns));
        }
        int n = (int) categories.count();
        long[] volumes = CategoryVolumes.clicksPerCategory(out.get("train"), items, n);
        boolean[] longTail = LongTail.flags(volumes, o.longTailShare());
        List<Row> rows = new ArrayList<>();
        for (Row c : categories.orderBy("category_id").collectAsList()) {
            int id = c.getInt(0);
            rows.add(RowFactory.create(id, c.getString(1), volumes[id], longTail[id]));
        }
        out.put(
                "train_categories",
                spark.createDataFrame(rows, IngestSchemas.CATEGORIES).coalesce(1));
        warehouse.publish(NAME, out);

        long rowsIn = 0;
        Map<String, Long> perPart = new LinkedHashMap<>();
        for (Row r : parted.groupBy("part").count().collectAsList()) {
            perPart.put(r.getString(0), r.getLong(1));
            rowsIn += r.getLong(1);
        }
        for (SplitPart part : SplitPart.values()) {
            figures.put(part.tableName(), perPart.getOrDefault(part.tableName(), 0L));
        }
        figures.put(
                "test_users",
                parted.filter(col("part").equalTo("test").and(col("event_type").equalTo("click")))
                        .select("user_id")
                        .distinct()
                        .count());
        figures.put("long_tail_categories", (long) countTrue(longTail));
        parted.unpersist();
        StageMetrics.Builder m = StageMetrics.builder(NAME).rowsIn(rowsIn).rowsOut(rowsIn);
        figures.forEach(m::put);
        System.out.printf(
                Locale.ROOT,
                "split (%s): train %,d, valid %,d, test %,d events%n",
                figures.get("mode"),
                figures.get("train"),
                figures.get("valid"),
                figures.get("test"));
        StageMetrics metrics = m.seconds((System.nanoTime() - start) / 1e9).build();
        warehouse.writeMetrics(metrics);
        return metrics;
    }

    private static Dataset<Row> perUser(Dataset<Row> events, SplitOptions o) {
        PerUserSplit rule = new PerUserSplit(o.testFraction(), o.validFraction());
        UserDefinedFunction part =
                udf(
                        (UDF2<Long, Long, String>) (pos, n) -> rule.part(pos, n).tableName(),
                        DataTypes.StringType);
        Dataset<Row> clicks =
                events.filter(col("event_type").equalTo("click"))
                        .withColumn(
                                "_pos",
                                row_number()
                                        .over(
                                                Window.partitionBy("user_id")
                                                        .orderBy(
                                                                col("ts"),
                                                                col("item_id"),
                                                                col("strength"))))
                        .withColumn("_n", count(lit(1)).over(Window.partitionBy("user_id")))
                        .withColumn("part", part.apply(col("_pos").cast("long"), col("_n")))
                        .drop("_pos", "_n");
        Dataset<Row> bounds =
                clicks.groupBy(col("user_id").as("_user"))
                        .agg(
                                min(when(col("part").equalTo("test"), col("ts"))).as("_test_from"),
                                min(when(col("part").equalTo("valid"), col("ts")))
                                        .as("_valid_from"));
        Dataset<Row> exposures =
                events.filter(col("event_type").notEqual("click"))
                        .join(bounds, col("user_id").equalTo(col("_user")), "left_outer")
                        .withColumn(
                                "part",
                                when(
                                                col("_test_from")
                                                        .isNotNull()
                                                        .and(col("ts").geq(col("_test_from"))),
                                                "test")
                                        .when(
                                                col("_valid_from")
                                                        .isNotNull()
                                                        .and(col("ts").geq(col("_valid_from"))),
                                                "valid")
                                        .otherwise("train"))
                        .drop("_user", "_test_from", "_valid_from");
        return clicks.unionByName(exposures);
    }

    private static Dataset<Row> byDay(
            Dataset<Row> events, SplitOptions o, Map<String, Object> figures) {
        Row span = events.agg(min("ts"), max("ts")).first();
        if (span.isNullAt(0)) {
            throw new IllegalStateException("split: the events table is empty");
        }
        long firstDay = DaySplit.day(span.getLong(0));
        long lastDay = DaySplit.day(span.getLong(1));
        long[] b = new DaySplit(o.testDays(), o.validDays()).boundaries(firstDay, lastDay);
        figures.put("first_day", java.time.LocalDate.ofEpochDay(firstDay).toString());
        figures.put("first_valid_day", java.time.LocalDate.ofEpochDay(b[1]).toString());
        figures.put("first_test_day", java.time.LocalDate.ofEpochDay(b[0]).toString());
        figures.put("last_day", java.time.LocalDate.ofEpochDay(lastDay).toString());
        long firstTest = b[0];
        long firstValid = b[1];
        UserDefinedFunction part =
                udf(
                        (UDF1<Long, String>)
                                ts ->
                                        DaySplit.part(DaySplit.day(ts), firstTest, firstValid)
                                                .tableName(),
                        DataTypes.StringType);
        return events.withColumn("part", part.apply(col("ts")));
    }

    private static int countTrue(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            c += f ? 1 : 0;
        }
        return c;
    }
}
