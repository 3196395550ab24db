package org.coea.spark.store;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NoveltyRows;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserState;
import org.coea.common.store.UserStore;
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.warehouse.Warehouse;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;

/**
 * The {@code store} stage: loads one cycle into the serving stores. Every {@code novel_categories}
 * row becomes a {@code NoveltyKey -> NoveltyEntry} of one novelty cycle, committed at the end in
 * one step, so readers never see half a cycle; every user of {@code user_groups} gets its CSID and
 * short-term set from {@code sequences}; the default CSID of {@code groups} serves unknown users.
 *
 * <p>The novelty cycle is written from the driver ({@code toLocalIterator}) for both stores:
 * embedded RocksDB is a single-process store, and an HBase cycle writer owns a slot that it takes
 * from a counter at {@code beginCycle} and that only it can commit, so the rows of one cycle cannot
 * come from several processes. The users have no cycle: on HBase each partition writes its users
 * through its own connection ({@code foreachPartition}); on RocksDB the driver writes them.
 *
 * <p>The users are written before the novelty cycle: a failure leaves the old cycle current and a
 * rerun of the same version works; once the cycle is committed, the version exists and the store
 * refuses to write it again.
 */
public final class StoreJob implements Stage {
    /** The stage name. */
    public static final String NAME = "store";

    /** The table of novel categories per key, written by the {@code score} stage. */
    public static final String NOVEL_CATEGORIES = "novel_categories";

    /**
     * The schema of {@link #NOVEL_CATEGORIES}: csid, short_set (sorted ids), short_hash (16 hex
     * digits, {@code CategorySetHash} of the set), categories (ranked, highest score first),
     * model_version, and version (the cycle number, the same on every row).
     */
    public static final StructType NOVEL_CATEGORIES_SCHEMA =
            new StructType()
                    .add("csid", DataTypes.StringType, false)
                    .add(
                            "short_set",
                            DataTypes.createArrayType(DataTypes.IntegerType, false),
                            false)
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

    /** The stage that writes {@link #NOVEL_CATEGORIES}. */
    public static final String SCORE_STAGE = "score";

    /** How many reject reasons are printed and kept in the metrics. */
    static final int SHOWN_REJECTS = 5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "load novel_categories (one committed cycle) and the users' CSIDs and short-term sets into the serving store (RocksDB or HBase)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return StoreOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                StoreOptions.from(conf));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse, StoreOptions o) {
        long start = System.nanoTime();
        StoreSettings settings = o.settings();
        Dataset<Row> novel =
                warehouse
                        .read(NOVEL_CATEGORIES, SCORE_STAGE)
                        .select(
                                "csid",
                                "short_set",
                                "short_hash",
                                "categories",
                                "model_version",
                                "version");
        Dataset<Row> userGroups = warehouse.read("user_groups", GroupsJob.NAME);
        Dataset<Row> sequences = warehouse.read(SequencesJob.NAME, SequencesJob.NAME);
        Dataset<Row> groups = warehouse.read("groups", GroupsJob.NAME);

        long version = cycleVersion(novel);
        GroupCsid defaultCsid = defaultCsid(groups);
        Dataset<Row> users =
                userGroups
                        .select(col("user_id"), col("csid"))
                        .join(sequences.select("user_id", "short_set"), "user_id", "left")
                        .select("user_id", "csid", "short_set");

        LongAccumulator usersIn = spark.sparkContext().longAccumulator("store.users-in");
        LongAccumulator usersOut = spark.sparkContext().longAccumulator("store.users-out");
        CollectionAccumulator<String> userRejects =
                spark.sparkContext().collectionAccumulator("store.user-rejects");
        long keys = 0;
        long emptyKeys = 0;
        long novelIn = 0;
        long novelRejected = 0;
        List<String> reasons = new ArrayList<>();
        long writeStart;
        long writeNanos;
        try (OpenedStores stores = OpenedStores.open(settings)) {
            checkVersion(stores.noveltyStore(), version, settings);
            writeStart = System.nanoTime();
            if (settings.kind() == StoreSettings.Kind.HBASE) {
                users.foreachPartition(
                        rows -> {
                            try (OpenedStores own = OpenedStores.open(settings)) {
                                writeUsers(
                                        rows,
                                        own.userStore(),
                                        settings.batchSize(),
                                        usersIn,
                                        usersOut,
                                        userRejects);
                            }
                        });
            } else {
                writeUsers(
                        users.toLocalIterator(),
                        stores.userStore(),
                        settings.batchSize(),
                        usersIn,
                        usersOut,
                        userRejects);
            }
            if (defaultCsid != null) {
                stores.userStore().putDefaultCsid(defaultCsid);
            }
            try (NoveltyStore.CycleWriter writer = stores.noveltyStore().beginCycle(version)) {
                Iterator<Row> rows = novel.toLocalIterator();
                while (rows.hasNext()) {
                    Row r = rows.next();
                    novelIn++;
                    NoveltyRows.Parsed p = parse(r);
                    if (!p.accepted()) {
                        novelRejected++;
                        if (reasons.size() < SHOWN_REJECTS) {
                            reasons.add(p.reject().orElseThrow());
                        }
                        continue;
                    }
                    writer.put(p.key().orElseThrow(), p.entry().orElseThrow());
                    keys++;
                    if (p.entry().orElseThrow().categories().isEmpty()) {
                        emptyKeys++;
                    }
                }
                writer.commit();
            }
            writeNanos = System.nanoTime() - writeStart;
        }
        List<String> userReasons = userRejects.value();
        long usersRejected = usersIn.value() - usersOut.value();
        for (String reason : userReasons) {
            if (reasons.size() < SHOWN_REJECTS) {
                reasons.add(reason);
            }
        }
        long rowsIn = novelIn + usersIn.value();
        long rowsOut = keys + usersOut.value();
        double writeSeconds = writeNanos / 1e9;
        StageMetrics m =
                StageMetrics.builder(NAME)
                        .rowsIn(rowsIn)
                        .rowsOut(rowsOut)
                        .put("keys", keys)
                        .put("users", usersOut.value())
                        .put("empty_keys", emptyKeys)
                        .put("rejected", novelRejected + usersRejected)
                        .put("rejected_keys", novelRejected)
                        .put("rejected_users", usersRejected)
                        .put("reject_reasons", List.copyOf(reasons))
                        .put("store_kind", settings.kind().name().toLowerCase(Locale.ROOT))
                        .put("store", settings.describe())
                        .put("version", version)
                        .put("default_csid", defaultCsid == null ? "" : defaultCsid.toString())
                        .put("write_seconds", Math.round(writeSeconds * 1000) / 1000.0)
                        .put(
                                "rows_per_second",
                                writeSeconds > 0 ? Math.round(rowsOut / writeSeconds) : 0L)
                        .seconds((System.nanoTime() - start) / 1e9)
                        .build();
        warehouse.writeMetrics(m);
        System.out.printf(
                Locale.ROOT,
                "store: version %d into %s: %,d keys (%,d empty), %,d users, %,d rejected%n",
                version,
                settings.describe(),
                keys,
                emptyKeys,
                usersOut.value(),
                novelRejected + usersRejected);
        for (String reason : reasons) {
            System.out.println("store: rejected: " + reason);
        }
        return m;
    }

    /** The one cycle number of the table's rows. */
    static long cycleVersion(Dataset<Row> novel) {
        List<Row> versions = novel.select("version").distinct().limit(3).collectAsList();
        if (versions.isEmpty()) {
            throw new IllegalStateException(
                    NOVEL_CATEGORIES + " is empty: no cycle version to write");
        }
        if (versions.size() > 1 || versions.get(0).isNullAt(0)) {
            List<Object> seen = new ArrayList<>();
            versions.forEach(r -> seen.add(r.isNullAt(0) ? null : r.getLong(0)));
            throw new IllegalStateException(
                    NOVEL_CATEGORIES
                            + " must hold one cycle, with one non-null version on every row; found "
                            + seen);
        }
        return versions.get(0).getLong(0);
    }

    /** Refuses a version the store already holds: a committed cycle is never rewritten. */
    private static void checkVersion(NoveltyStore store, long version, StoreSettings settings) {
        OptionalLong current = store.currentVersion();
        if (current.isPresent() && current.getAsLong() >= version) {
            throw new IllegalStateException(
                    "the store "
                            + settings.describe()
                            + " already holds novelty version "
                            + current.getAsLong()
                            + (current.getAsLong() == version ? " (this version exists)" : "")
                            + "; "
                            + NOVEL_CATEGORIES
                            + " is version "
                            + version
                            + ": a committed version is never rewritten, write a later cycle");
        }
    }

    /** The CSID of the {@code groups} row marked {@code is_default}; null when none is. */
    private static GroupCsid defaultCsid(Dataset<Row> groups) {
        List<Row> rows = groups.filter(col("is_default")).select("csid").limit(2).collectAsList();
        if (rows.size() > 1) {
            throw new IllegalStateException(
                    "groups marks more than one default CSID: "
                            + rows.get(0).getString(0)
                            + ", "
                            + rows.get(1).getString(0));
        }
        if (rows.isEmpty()) {
            System.out.println("store: groups has no default CSID; unknown users get no answer");
            return null;
        }
        try {
            return GroupCsid.parse(rows.get(0).getString(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the default CSID of groups: " + e.getMessage(), e);
        }
    }

    /** One {@code novel_categories} row, checked. */
    static NoveltyRows.Parsed parse(Row r) {
        List<NoveltyRows.NovelCategoryValue> categories = null;
        if (!r.isNullAt(3)) {
            List<Row> ranked = r.getList(3);
            categories = new ArrayList<>(ranked.size());
            for (Row c : ranked) {
                categories.add(
                        c == null
                                ? null
                                : new NoveltyRows.NovelCategoryValue(
                                        c.isNullAt(0) ? null : c.getInt(0),
                                        c.isNullAt(1) ? null : c.getDouble(1)));
            }
        }
        return NoveltyRows.parse(
                r.getString(0),
                r.isNullAt(1) ? null : r.getList(1),
                r.getString(2),
                categories,
                r.getString(4));
    }

    /**
     * Writes (user_id, csid, short_set) rows in batches; a malformed row is counted, not written.
     */
    static void writeUsers(
            Iterator<Row> rows,
            UserStore store,
            int batchSize,
            LongAccumulator in,
            LongAccumulator out,
            CollectionAccumulator<String> rejects) {
        Map<String, UserState> batch = new HashMap<>();
        int shown = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            in.add(1);
            try {
                String user = Long.toString(r.getLong(0));
                List<Integer> set = r.isNullAt(2) ? List.of() : r.getList(2);
                batch.put(user, UserState.of(GroupCsid.parse(r.getString(1)), set));
            } catch (RuntimeException e) {
                if (shown++ < SHOWN_REJECTS) {
                    rejects.add("user " + r.get(0) + ": " + e.getMessage());
                }
                continue;
            }
            if (batch.size() >= batchSize) {
                store.putAll(batch);
                out.add(batch.size());
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.putAll(batch);
            out.add(batch.size());
        }
    }
}
