package org.coea.spark.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.model.CategoryIndex;
import org.coea.common.split.LongTail;
import org.coea.spark.CommonOptions;
import org.coea.spark.SparkRows;
import org.coea.spark.Stage;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code ingest} stage: reads MovieLens, a generic click log or the synthetic generator and
 * publishes {@code events}, {@code items}, {@code users}, {@code categories} and {@code rejects}.
 *
 * <p>Every input record is accounted for: {@code read = accepted + rejected} per input, rejects
 * land in {@code rejects} with file, line and reason, and the stage fails (publishing only {@code
 * rejects}) when an input's reject share exceeds {@code ingest.max-reject-rate}.
 *
 * <p>With {@code ingest.mode append} the input is an increment merged into the published tables
 * ({@link IngestOptions.Mode#APPEND}); the figures then also say how many events were there, were
 * added and were dropped by {@code ingest.retain-days}.
 */
public final class IngestJob implements Stage {
    /** The stage name. */
    public static final String NAME = "ingest";

    private final boolean syntheticByDefault;

    /**
     * @param syntheticByDefault whether no input option means the synthetic generator (as in {@code
     *     coea run}) instead of an error
     */
    public IngestJob(boolean syntheticByDefault) {
        this.syntheticByDefault = syntheticByDefault;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "read MovieLens, a click log or the synthetic generator into events, items, users, categories";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return IngestOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                IngestOptions.from(conf, syntheticByDefault));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse, IngestOptions o) {
        long start = System.nanoTime();
        ParsedInputs in;
        switch (o.source()) {
            case MOVIELENS:
                in = MovieLensSource.read(spark, o.movielens().orElseThrow(), o.categoryMapping());
                break;
            case CLICKS:
                in = GenericLogSource.read(spark, o);
                break;
            default:
                in = SyntheticSource.read(spark, o.synthetic());
        }

        // Items: first occurrence of an id wins, later ones are rejected.
        Dataset<Row> items =
                rejectDuplicates(in.items(), "item_id", "item")
                        .persist(StorageLevel.MEMORY_AND_DISK());
        List<String> names =
                items.filter(col("reason").isNull())
                        .select(explode(col("category_names")))
                        .distinct()
                        .as(Encoders.STRING())
                        .collectAsList();
        // An increment into a warehouse that has tables is merged into them (ingest.mode append).
        boolean append = o.mode() == IngestOptions.Mode.APPEND && warehouse.hasTable("events");
        CategoryIndex index =
                append
                        ? CategoryIndex.extend(
                                warehouse
                                        .read("categories", NAME)
                                        .orderBy("category_id")
                                        .select("name")
                                        .as(Encoders.STRING())
                                        .collectAsList(),
                                names)
                        : CategoryIndex.of(names);
        Dataset<Row> itemsTable =
                items.filter(col("reason").isNull())
                        .map(
                                (org.apache.spark.api.java.function.MapFunction<Row, Row>)
                                        r -> {
                                            List<String> cats = r.getList(2);
                                            List<Integer> ids = new ArrayList<>(cats.size());
                                            cats.forEach(c -> ids.add(index.id(c)));
                                            return RowFactory.create(
                                                    r.getLong(0),
                                                    r.getString(1),
                                                    SparkRows.array(ids));
                                        },
                                Encoders.row(IngestSchemas.ITEMS))
                        .persist(StorageLevel.MEMORY_AND_DISK());

        // Events: parse rejects, then events whose item is not in the items table.
        Dataset<Row> known = itemsTable.select(col("item_id").as("_known_item"));
        if (append) {
            known =
                    known.union(
                                    warehouse
                                            .read("items", NAME)
                                            .select(col("item_id").as("_known_item")))
                            .distinct();
        }
        Dataset<Row> events =
                in.events()
                        .join(
                                broadcast(known),
                                col("item_id").equalTo(col("_known_item")),
                                "left_outer")
                        .withColumn(
                                "reason",
                                coalesce(
                                        col("reason"),
                                        when(
                                                col("_known_item").isNull(),
                                                concat(
                                                        lit("unknown item "),
                                                        col("item_id").cast("string")))))
                        .drop("_known_item")
                        .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> eventsTable =
                events.filter(col("reason").isNull()).select(columns(IngestSchemas.EVENTS));

        Dataset<Row> users =
                rejectDuplicates(in.users(), "user_id", "user")
                        .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> usersTable =
                users.filter(col("reason").isNull()).select(columns(IngestSchemas.USERS));

        Dataset<Row> rejects =
                rejectsOf(events, "events")
                        .union(rejectsOf(items, "items"))
                        .union(rejectsOf(users, "users"));

        Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put("events", acceptedRejected(events));
        counts.put("items", acceptedRejected(items));
        counts.put("users", acceptedRejected(users));
        for (Map.Entry<String, long[]> c : counts.entrySet()) {
            long[] ar = c.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "ingest: %-6s read %,d = accepted %,d + rejected %,d%n",
                    c.getKey(),
                    ar[0] + ar[1],
                    ar[0],
                    ar[1]);
        }

        String failure = null;
        for (Map.Entry<String, long[]> c : counts.entrySet()) {
            long[] ar = c.getValue();
            long read = ar[0] + ar[1];
            double rate = read == 0 ? 0 : ar[1] / (double) read;
            if (rate > o.maxRejectRate()) {
                failure =
                        String.format(
                                Locale.ROOT,
                                "ingest failed: %,d of %,d %s records rejected (%.3f%%), above ingest.max-reject-rate %.3f%%; reasons are in %s",
                                ar[1],
                                read,
                                c.getKey(),
                                100 * rate,
                                100 * o.maxRejectRate(),
                                warehouse.tablePath("rejects"));
                break;
            }
        }
        if (counts.get("events")[0] == 0 && failure == null) {
            failure =
                    "ingest failed: no event was accepted; reasons are in "
                            + warehouse.tablePath("rejects");
        }

        Map<String, Object> tables = new LinkedHashMap<>();
        counts.forEach(
                (k, ar) ->
                        tables.put(
                                k,
                                Map.of(
                                        "read",
                                        ar[0] + ar[1],
                                        "accepted",
                                        ar[0],
                                        "rejected",
                                        ar[1])));
        StageMetrics.Builder metrics =
                StageMetrics.builder(NAME)
                        .rowsIn(counts.get("events")[0] + counts.get("events")[1])
                        .rowsOut(counts.get("events")[0])
                        .put("source", o.source().name().toLowerCase(Locale.ROOT))
                        .put("format", in.format())
                        .put("accepted", counts.get("events")[0])
                        .put("rejected", counts.get("events")[1]);
        if (append) {
            // a rerun of the same increment finds the same rejects: kept once
            rejects = warehouse.read("rejects", NAME).unionByName(rejects).distinct();
        }
        if (failure != null) {
            warehouse.publish(NAME, Map.of("rejects", rejects.coalesce(1)));
            warehouse.writeMetrics(
                    metrics.seconds(seconds(start))
                            .put("tables", tables)
                            .put("failed", failure)
                            .build());
            throw new IllegalStateException(failure);
        }

        Dataset<Row> incrementItems = itemsTable;
        Merged merged = null;
        if (append) {
            merged = merge(warehouse, eventsTable, itemsTable, usersTable, o.retainDays());
            eventsTable = merged.events();
            itemsTable = merged.items();
            usersTable = merged.users();
            metrics.put("mode", "append")
                    .put("events_before", merged.before())
                    .put("events_added", merged.added())
                    .put("events_dropped_by_retention", merged.dropped());
            System.out.printf(
                    Locale.ROOT,
                    "ingest: append: %,d events before, %,d added (already present: %,d), %,d dropped by ingest.retain-days%n",
                    merged.before(),
                    merged.added(),
                    counts.get("events")[0] - merged.added(),
                    merged.dropped());
        } else {
            metrics.put("mode", "replace");
        }
        Dataset<Row> categoriesTable =
                categories(spark, eventsTable, itemsTable, index, o.longTailShare());
        Map<String, Dataset<Row>> out = new LinkedHashMap<>();
        out.put("events", eventsTable);
        out.put("items", itemsTable);
        out.put("users", usersTable);
        out.put("categories", categoriesTable.coalesce(1));
        out.put("rejects", rejects.coalesce(1));
        warehouse.publish(NAME, out);

        Dataset<Row> written = warehouse.read("events", NAME);
        long distinctUsers = written.select("user_id").distinct().count();
        long distinctItems = written.select("item_id").distinct().count();
        long clicks = written.filter(col("event_type").equalTo("click")).count();
        StageMetrics m =
                metrics.put("users", distinctUsers)
                        .put("items", distinctItems)
                        .put("categories", (long) index.size())
                        .put("clicks", clicks)
                        .put("exposures", counts.get("events")[0] - clicks)
                        .put("tables", tables)
                        .seconds(seconds(start))
                        .build();
        events.unpersist();
        items.unpersist();
        incrementItems.unpersist();
        if (merged != null) {
            merged.unpersist();
        }
        users.unpersist();
        warehouse.writeMetrics(m);
        System.out.printf(
                Locale.ROOT,
                "ingest: %,d users, %,d items, %,d categories with events; warehouse %s%n",
                distinctUsers,
                distinctItems,
                index.size(),
                warehouse.root());
        return m;
    }

    /** The tables after merging an increment, and how the events changed. */
    private record Merged(
            Dataset<Row> events,
            Dataset<Row> items,
            Dataset<Row> users,
            long before,
            long added,
            long dropped,
            Dataset<Row> addedEvents) {
        void unpersist() {
            events.unpersist();
            items.unpersist();
            users.unpersist();
            addedEvents.unpersist();
        }
    }

    /**
     * Merges an increment into the published tables: events not already there (the same user, item,
     * time, type and strength) are added, then events older than {@code retainDays} before the
     * newest are dropped; items and users of the increment replace those with their id. The old
     * tables are read while the new ones are written to staging, before publishing renames.
     */
    private static Merged merge(
            Warehouse w,
            Dataset<Row> events,
            Dataset<Row> items,
            Dataset<Row> users,
            int retainDays) {
        Dataset<Row> existing = w.read("events", NAME).select(named(IngestSchemas.EVENTS));
        List<String> all = List.of(IngestSchemas.EVENTS.fieldNames());
        Dataset<Row> added =
                events.join(existing.dropDuplicates(), seq(all), "left_anti")
                        .select(columns(IngestSchemas.EVENTS))
                        .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> merged = existing.unionByName(added);
        long before = existing.count();
        long addedCount = added.count();
        long dropped = 0;
        if (retainDays > 0) {
            Row max = merged.agg(org.apache.spark.sql.functions.max("ts")).first();
            if (!max.isNullAt(0)) {
                long cutoff = max.getLong(0) - retainDays * 86_400L;
                dropped = merged.filter(col("ts").lt(cutoff)).count();
                merged = merged.filter(col("ts").geq(cutoff));
            }
        }
        Dataset<Row> allItems =
                items.unionByName(
                        w.read("items", NAME)
                                .select(named(IngestSchemas.ITEMS))
                                .join(
                                        items.select("item_id"),
                                        seq(List.of("item_id")),
                                        "left_anti"));
        Dataset<Row> allUsers =
                users.unionByName(
                        w.read("users", NAME)
                                .select(named(IngestSchemas.USERS))
                                .join(
                                        users.select("user_id"),
                                        seq(List.of("user_id")),
                                        "left_anti"));
        return new Merged(
                merged.persist(StorageLevel.MEMORY_AND_DISK()),
                allItems.persist(StorageLevel.MEMORY_AND_DISK()),
                allUsers.persist(StorageLevel.MEMORY_AND_DISK()),
                before,
                addedCount,
                dropped,
                added);
    }

    /** The schema's columns by name, in its order (published tables already have its types). */
    private static Column[] named(org.apache.spark.sql.types.StructType schema) {
        return java.util.Arrays.stream(schema.fieldNames())
                .map(org.apache.spark.sql.functions::col)
                .toArray(Column[]::new);
    }

    private static scala.collection.immutable.Seq<String> seq(List<String> columns) {
        return scala.jdk.javaapi.CollectionConverters.asScala(columns).toSeq();
    }

    /** Counts accepted and rejected rows of a parsed dataset in one pass. */
    private static long[] acceptedRejected(Dataset<Row> parsed) {
        long[] ar = new long[2];
        for (Row r : parsed.groupBy(col("reason").isNull().as("ok")).count().collectAsList()) {
            ar[r.getBoolean(0) ? 0 : 1] = r.getLong(1);
        }
        return ar;
    }

    private static Dataset<Row> rejectDuplicates(
            Dataset<Row> parsed, String idColumn, String what) {
        Column rank =
                when(
                        col("reason").isNull(),
                        row_number()
                                .over(
                                        Window.partitionBy(col(idColumn), col("reason").isNull())
                                                .orderBy(col("file"), col("line"))));
        return parsed.withColumn("_rank", rank)
                .withColumn(
                        "reason",
                        when(
                                        col("_rank").gt(1),
                                        concat(
                                                lit("duplicate " + what + " id "),
                                                col(idColumn).cast("string")))
                                .otherwise(col("reason")))
                .drop("_rank");
    }

    private static Dataset<Row> rejectsOf(Dataset<Row> parsed, String input) {
        return parsed.filter(col("reason").isNotNull())
                .select(
                        lit(input).as("input"),
                        col("file"),
                        col("line"),
                        col("record"),
                        col("reason"));
    }

    private static Dataset<Row> categories(
            SparkSession spark,
            Dataset<Row> events,
            Dataset<Row> items,
            CategoryIndex index,
            double share) {
        long[] volumes = CategoryVolumes.clicksPerCategory(events, items, index.size());
        boolean[] longTail = LongTail.flags(volumes, share);
        List<Row> rows = new ArrayList<>();
        for (int id = 0; id < index.size(); id++) {
            rows.add(RowFactory.create(id, index.names().get(id), volumes[id], longTail[id]));
        }
        return spark.createDataFrame(rows, IngestSchemas.CATEGORIES);
    }

    private static Column[] columns(org.apache.spark.sql.types.StructType schema) {
        Column[] cols = new Column[schema.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = col(schema.fields()[i].name()).cast(schema.fields()[i].dataType());
        }
        return cols;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
