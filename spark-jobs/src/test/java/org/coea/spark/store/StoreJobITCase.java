package org.coea.spark.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyRetriever;
import org.coea.spark.CoeaSpark;
import org.coea.spark.testutils.HBaseProcess;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.testutils.StoreFixtures;
import org.coea.spark.warehouse.Warehouse;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code store} stage on hand-made tables, against RocksDB and against a real HBase (a mini
 * cluster in a child JVM): two cycles, a malformed row of each kind, known and cold-start users.
 */
class StoreJobITCase {
    static final String A = "001-002";
    static final String B = "003-004";
    static final List<Integer> SET_A = List.of(1, 2);
    static final List<Integer> SET_B = List.of(3);

    @TempDir Path tmp;

    @Test
    void rocksDbStoreServesTheCycleAndTheNextCycleReplacesIt() {
        SparkSession spark = SparkTestSession.get();
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        Path db = tmp.resolve("db");
        StoreSettings settings = StoreSettings.rocksDb(db).withBatchSize(1);

        StageMetrics m = cycleOne(spark, w, new StoreOptions(settings));
        assertThat(m.figures()).containsEntry("store_kind", "rocksdb");
        assertThat(w.readMetrics(StoreJob.NAME)).as("_metrics/store.json").isPresent();
        assertThat(w.readMetrics(StoreJob.NAME).orElseThrow())
                .containsEntry("rejected", 3)
                .containsEntry("version", 1);
        try (OpenedStores stores = OpenedStores.open(settings)) {
            checkCycleOne(stores);
        }

        String json = lookup(w, db, "42", null);
        assertThat(json)
                .as("lookup of a known user")
                .contains(
                        "\"user\":\"42\"",
                        "\"csid\":\"" + A + "\"",
                        "\"cold_start\":false",
                        "{\"category_id\":7,\"name\":\"cat-7\",\"score\":0.9}",
                        "\"model_version\":\"m1\"",
                        "\"store_version\":1");
        assertThat(lookup(w, db, "999", "2,1"))
                .as("lookup of an unknown user with a set")
                .contains("\"cold_start\":true", "\"csid\":\"" + A + "\"", "cat-5");

        assertThatThrownBy(() -> new StoreJob().run(spark, w, new StoreOptions(settings)))
                .as("version 1 again")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already holds novelty version 1 (this version exists)");

        cycleTwo(spark, w, new StoreOptions(settings));
        try (OpenedStores stores = OpenedStores.open(settings)) {
            checkCycleTwo(stores);
        }
    }

    @Test
    void hbaseStoreServesTheCycleAndTheNextCycleReplacesIt() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        try (HBaseProcess hbase =
                HBaseProcess.start(Path.of("..", "stores"), tmp.resolve("hbase.log"))) {
            StoreSettings settings = hbase.settings("it_novelty", "it_users").withBatchSize(1);
            StageMetrics m = cycleOne(spark, w, new StoreOptions(settings));
            assertThat(m.figures()).containsEntry("store_kind", "hbase");
            try (OpenedStores stores = OpenedStores.open(settings)) {
                checkCycleOne(stores);
            }
            assertThatThrownBy(() -> new StoreJob().run(spark, w, new StoreOptions(settings)))
                    .hasMessageContaining("already holds novelty version 1 (this version exists)");
            cycleTwo(spark, w, new StoreOptions(settings));
            try (OpenedStores stores = OpenedStores.open(settings)) {
                checkCycleTwo(stores);
            }
        }
    }

    /**
     * Version 1: keys (A, {1,2}) ranked 7, 5 and (B, {3}) with no category; a malformed CSID and a
     * wrong hash; users 42 (A), 43 (B) and one with a malformed CSID; A is the default CSID.
     */
    private static StageMetrics cycleOne(SparkSession spark, Warehouse w, StoreOptions o) {
        StoreFixtures.publishNovel(
                spark,
                w,
                List.of(
                        StoreFixtures.novel(
                                A,
                                SET_A,
                                null,
                                List.of(new Object[] {7, 0.9}, new Object[] {5, 0.4}),
                                "m1",
                                1),
                        StoreFixtures.novel(B, SET_B, null, List.<Object[]>of(), "m1", 1),
                        StoreFixtures.novel(
                                "1-2",
                                SET_A,
                                null,
                                List.<Object[]>of(new Object[] {7, 0.9}),
                                "m1",
                                1),
                        StoreFixtures.novel(
                                A,
                                List.of(9),
                                "00000000000000ff",
                                List.<Object[]>of(new Object[] {7, 0.9}),
                                "m1",
                                1)));
        StoreFixtures.publishUsers(
                spark,
                w,
                Map.of(
                        42L, Map.entry(A, SET_A),
                        43L, Map.entry(B, SET_B),
                        44L, Map.entry("bad", List.of(1))),
                A);
        StageMetrics m = new StoreJob().run(spark, w, o);
        assertThat(m.rowsIn()).as("4 novelty rows + 3 users").isEqualTo(7);
        assertThat(m.rowsOut()).as("2 keys + 2 users").isEqualTo(4);
        assertThat(m.figures())
                .containsEntry("keys", 2L)
                .containsEntry("users", 2L)
                .containsEntry("empty_keys", 1L)
                .containsEntry("rejected", 3L)
                .containsEntry("rejected_keys", 2L)
                .containsEntry("rejected_users", 1L)
                .containsEntry("version", 1L)
                .containsEntry("default_csid", A);
        assertThat(m.rowsIn())
                .as("in = out + rejected")
                .isEqualTo(m.rowsOut() + (Long) m.figures().get("rejected"));
        @SuppressWarnings("unchecked")
        List<String> reasons = (List<String>) m.figures().get("reject_reasons");
        assertThat(reasons)
                .anySatisfy(r -> assertThat(r).contains("malformed csid '1-2'"))
                .anySatisfy(r -> assertThat(r).contains("short_hash '00000000000000ff'"))
                .anySatisfy(r -> assertThat(r).contains("user 44"));
        return m;
    }

    private static void checkCycleOne(OpenedStores stores) {
        assertThat(stores.noveltyStore().currentVersion()).hasValue(1);
        NoveltyKey keyA = NoveltyKey.of(GroupCsid.parse(A), SET_A);
        assertThat(stores.noveltyStore().get(keyA))
                .as("the entry equals the input ranking")
                .contains(
                        new NoveltyEntry(
                                List.of(new NovelCategory(7, 0.9), new NovelCategory(5, 0.4)),
                                "m1"));
        assertThat(stores.noveltyStore().get(NoveltyKey.of(GroupCsid.parse(B), SET_B)))
                .contains(new NoveltyEntry(List.of(), "m1"));
        assertThat(stores.noveltyStore().get(NoveltyKey.of(GroupCsid.parse(A), List.of(9))))
                .as("the rejected key and any missing key")
                .isEmpty();
        NoveltyRetriever retriever =
                new NoveltyRetriever(stores.noveltyStore(), stores.userStore());
        NoveltyRetriever.Answer known = retriever.retrieve("42");
        assertThat(known.coldStart()).isFalse();
        assertThat(known.csid()).contains(GroupCsid.parse(A));
        assertThat(known.key()).contains(keyA);
        assertThat(known.categories())
                .containsExactly(new NovelCategory(7, 0.9), new NovelCategory(5, 0.4));
        assertThat(stores.userStore().get("44")).as("the malformed user").isEmpty();
        NoveltyRetriever.Answer cold = retriever.retrieve("12345", List.of(2, 1));
        assertThat(cold.coldStart()).isTrue();
        assertThat(cold.csid()).as("the default CSID").contains(GroupCsid.parse(A));
        assertThat(cold.categories()).hasSize(2);
    }

    /** Version 2: A re-ranked to 5, 8, 7 by model m2; B is gone. */
    private static void cycleTwo(SparkSession spark, Warehouse w, StoreOptions o) {
        List<Row> rows =
                List.of(
                        StoreFixtures.novel(
                                A,
                                SET_A,
                                null,
                                List.of(
                                        new Object[] {5, 0.7},
                                        new Object[] {8, 0.6},
                                        new Object[] {7, 0.1}),
                                "m2",
                                2));
        StoreFixtures.publishNovel(spark, w, rows);
        StageMetrics m = new StoreJob().run(spark, w, o);
        assertThat(m.figures()).containsEntry("version", 2L).containsEntry("keys", 1L);
    }

    private static void checkCycleTwo(OpenedStores stores) {
        assertThat(stores.noveltyStore().currentVersion()).hasValue(2);
        assertThat(stores.noveltyStore().get(NoveltyKey.of(GroupCsid.parse(A), SET_A)))
                .contains(
                        new NoveltyEntry(
                                List.of(
                                        new NovelCategory(5, 0.7),
                                        new NovelCategory(8, 0.6),
                                        new NovelCategory(7, 0.1)),
                                "m2"));
        assertThat(stores.noveltyStore().get(NoveltyKey.of(GroupCsid.parse(B), SET_B)))
                .as("a key absent from version 2")
                .isEmpty();
    }

    private static String lookup(Warehouse w, Path db, String user, String set) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "lookup",
                                "--warehouse",
                                w.root(),
                                "--store.path",
                                db.toString(),
                                "--user",
                                user));
        if (set != null) {
            args.addAll(List.of("--set", set));
        }
        int status =
                CoeaSpark.execute(
                        args.toArray(String[]::new),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as("lookup status, stderr: %s", err).isZero();
        assertThat(text.strip().lines()).as("one JSON line").hasSize(1);
        return text.strip();
    }
}
