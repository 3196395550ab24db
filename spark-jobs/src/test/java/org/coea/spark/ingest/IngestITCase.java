package org.coea.spark.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coea.spark.testutils.IngestOptionsFixtures.clicks;
import static org.coea.spark.testutils.IngestOptionsFixtures.movielens;
import static org.coea.spark.testutils.IngestOptionsFixtures.synthetic;
import static org.coea.spark.testutils.IngestOptionsFixtures.withMapping;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.coea.common.ingest.CategoryMapping;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.synthetic.SyntheticSpec;
import org.coea.common.testutils.Fixtures;
import org.coea.spark.testutils.InputFixtures;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestITCase {
    static SparkSession spark;

    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
    }

    @Test
    void ingestsMl1mWithCategoriesVolumesAndLongTail() throws Exception {
        Path dir = InputFixtures.ml1m(tmp.resolve("ml1m"), List.of());
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        StageMetrics m = new IngestJob(false).run(spark, w, movielens(dir, 0.001));

        assertThat(m.figures())
                .containsEntry("format", "movielens-1m")
                .containsEntry("accepted", 10L)
                .containsEntry("rejected", 0L)
                .containsEntry("users", 3L)
                .containsEntry("items", 4L)
                .containsEntry("categories", 9L);
        assertThat(Files.exists(tmp.resolve("w/events/_SUCCESS"))).isTrue();

        Map<String, Long> volume = new HashMap<>();
        Map<String, Boolean> tail = new HashMap<>();
        for (Row r : w.read("categories", "ingest").collectAsList()) {
            volume.put(r.getString(1), r.getLong(2));
            tail.put(r.getString(1), r.getBoolean(3));
        }
        // Hand-computed: movie 1 (Animation|Children's|Comedy) has 3 clicks, movie 2
        // (Adventure|Children's|Fantasy) 2, movie 3 (Drama) 3, movie 4 (Action|Crime|Thriller) 2.
        assertThat(volume)
                .containsEntry("Animation", 3L)
                .containsEntry("Children's", 5L)
                .containsEntry("Drama", 3L)
                .containsEntry("Action", 2L)
                .hasSize(9);
        // floor(0.2 * 9) = 1 long-tail category: the lowest volume (2), lowest id (Action = 0).
        assertThat(tail.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey))
                .containsExactly("Action");

        Row creme = w.read("items", "ingest").filter("item_id = 3").first();
        assertThat(creme.getString(1)).isEqualTo("Cr\u00e8me Br\u00fbl\u00e9e (1998)");
        assertThat(creme.<Integer>getList(2)).containsExactly(6); // Drama
        Row user = w.read("users", "ingest").filter("user_id = 2").first();
        assertThat(user.<String, String>getJavaMap(1))
                .containsEntry("gender", "M")
                .containsEntry("age", "56")
                .containsEntry("occupation", "16");
        Row event = w.read("events", "ingest").filter("user_id = 3 and item_id = 3").first();
        assertThat(event.getLong(2)).isEqualTo(978310000L);
        assertThat(event.getString(3)).isEqualTo("click");
        assertThat(event.getDouble(4)).isEqualTo(4.0);
    }

    @Test
    void primaryMappingKeepsFirstGenre() throws Exception {
        Path dir = InputFixtures.ml1m(tmp.resolve("ml1m"), List.of());
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        IngestOptions primary = withMapping(movielens(dir, 0.001), CategoryMapping.PRIMARY);
        StageMetrics m = new IngestJob(false).run(spark, w, primary);
        // Primary genres: Animation, Adventure, Drama, Action.
        assertThat(m.figures()).containsEntry("categories", 4L);
    }

    @Test
    void everyMalformedLineKindLandsInRejectsWithLineAndReason() throws Exception {
        Path dir =
                InputFixtures.ml1m(
                        tmp.resolve("ml1m"),
                        List.of(
                                "1::2::5",
                                "x::2::5::978300760",
                                "1::99::5::978300760",
                                "1::2::5::not-a-time"));
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        StageMetrics m = new IngestJob(false).run(spark, w, movielens(dir, 0.5));
        assertThat(m.figures()).containsEntry("accepted", 10L).containsEntry("rejected", 4L);
        assertThat(m.rowsIn()).isEqualTo(m.rowsOut() + 4);

        List<Row> rejects = w.read("rejects", "ingest").orderBy("line").collectAsList();
        assertThat(rejects).hasSize(4);
        assertThat(rejects)
                .allSatisfy(
                        r -> {
                            assertThat(r.getString(0)).isEqualTo("events");
                            assertThat(r.getString(1)).endsWith("ratings.dat");
                        });
        assertThat(rejects.stream().map(r -> r.getLong(2) + ": " + r.getString(4)))
                .containsExactly(
                        "11: wrong field count: 3 (expected 4)",
                        "12: non-numeric user id 'x'",
                        "13: unknown item 99",
                        "14: bad timestamp 'not-a-time'");
        assertThat(rejects.get(0).getString(3)).isEqualTo("1::2::5");
    }

    @Test
    void failsAboveRejectThresholdPublishingOnlyRejects() throws Exception {
        Path dir = InputFixtures.ml1m(tmp.resolve("ml1m"), List.of("garbage", "1::2::5::-7"));
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        assertThatThrownBy(() -> new IngestJob(false).run(spark, w, movielens(dir, 0.001)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 of 12 events records rejected (16.667%)")
                .hasMessageContaining("ingest.max-reject-rate 0.100%")
                .hasMessageContaining("rejects");
        assertThat(w.hasTable("events")).isFalse();
        assertThat(w.read("rejects", "ingest").count()).isEqualTo(2);
        assertThat(w.readMetrics("ingest").orElseThrow()).containsKey("failed");
    }

    @Test
    void missingOrEmptyInputFailsAtOnceNamingThePath() throws Exception {
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        Path missing = tmp.resolve("nowhere");
        assertThatThrownBy(() -> new IngestJob(false).run(spark, w, movielens(missing, 0.001)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining(missing.toString());
        Path dir = InputFixtures.ml1m(tmp.resolve("ml1m"), List.of());
        Files.writeString(dir.resolve("ratings.dat"), "");
        assertThatThrownBy(() -> new IngestJob(false).run(spark, w, movielens(dir, 0.001)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ratings file is empty")
                .hasMessageContaining("ratings.dat");
        Path notMl = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(notMl.resolve("x.txt"), "x");
        assertThatThrownBy(() -> new IngestJob(false).run(spark, w, movielens(notMl, 0.001)))
                .hasMessageContaining("not a MovieLens directory");
    }

    @Test
    void ingestsMl100k() throws Exception {
        Path dir = InputFixtures.ml100k(tmp.resolve("ml100k"));
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        StageMetrics m = new IngestJob(false).run(spark, w, movielens(dir, 0.001));
        assertThat(m.figures())
                .containsEntry("format", "movielens-100k")
                .containsEntry("accepted", 6L)
                .containsEntry("users", 2L)
                .containsEntry("items", 3L)
                .containsEntry("categories", 7L);
        List<String> names =
                w.read("categories", "ingest").orderBy("category_id").collectAsList().stream()
                        .map(r -> r.getString(1))
                        .collect(Collectors.toList());
        assertThat(names)
                .containsExactly(
                        "Action",
                        "Adventure",
                        "Animation",
                        "Children's",
                        "Comedy",
                        "Thriller",
                        "unknown");
        Row user = w.read("users", "ingest").filter("user_id = 1").first();
        assertThat(user.<String, String>getJavaMap(1)).containsEntry("occupation", "technician");
    }

    @Test
    void ingestsGenericCsvWithRejects() throws Exception {
        Path events = tmp.resolve("log/events.csv");
        InputFixtures.write(
                events,
                List.of(
                        "user_id,item_id,ts,event_type,strength",
                        "10,100,1743552000,click,2",
                        "10,101,2025-04-02T01:00:00Z,exposure,",
                        "11,100,1743555600000,,",
                        "11,102,1743559200,click,1",
                        "11,100,1743559200,purchase,1",
                        "12,100"),
                StandardCharsets.UTF_8);
        Path items = tmp.resolve("log/items.csv");
        InputFixtures.write(
                items,
                List.of(
                        "item_id,title,categories",
                        "100,\"Noodles, hot\",food|asian",
                        "101,Pizza,food",
                        "102,Phone,tech"),
                StandardCharsets.UTF_8);
        Path users = tmp.resolve("log/users.csv");
        InputFixtures.write(users, List.of("user_id,city", "10,SH", "11,"), StandardCharsets.UTF_8);
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        StageMetrics m = new IngestJob(false).run(spark, w, clicks(events, items, users, 0.5));
        assertThat(m.figures())
                .containsEntry("format", "clicks-csv")
                .containsEntry("accepted", 4L)
                .containsEntry("rejected", 2L)
                .containsEntry("clicks", 3L)
                .containsEntry("exposures", 1L)
                .containsEntry("categories", 3L);
        assertThat(
                        w.read("rejects", "ingest").orderBy("line").collectAsList().stream()
                                .map(r -> r.getLong(2) + ": " + r.getString(4)))
                .containsExactly(
                        "6: unknown event type 'purchase' (expected click or exposure)",
                        "7: wrong field count: 2 (expected 5)");
        Row exposure = w.read("events", "ingest").filter("event_type = 'exposure'").first();
        assertThat(exposure.getLong(2)).isEqualTo(1743555600L);
        assertThat(exposure.getDouble(4)).isEqualTo(0.0);
        Row millis = w.read("events", "ingest").filter("user_id = 11 and item_id = 100").first();
        assertThat(millis.getLong(2)).isEqualTo(1743555600L);
        assertThat(w.read("items", "ingest").filter("item_id = 100").first().getString(1))
                .isEqualTo("Noodles, hot");
        assertThat(
                        w.read("users", "ingest")
                                .filter("user_id = 11")
                                .first()
                                .<String, String>getJavaMap(1))
                .isEmpty();
    }

    @Test
    void readsGzippedCsvIncludingItsHeader() throws Exception {
        Path events = tmp.resolve("gz/events.csv.gz");
        Files.createDirectories(events.getParent());
        try (java.io.Writer out =
                new java.io.OutputStreamWriter(
                        new java.util.zip.GZIPOutputStream(Files.newOutputStream(events)),
                        StandardCharsets.UTF_8)) {
            out.write("ts,item_id,user_id\n1743552000,5,1\n1743552001,5,2\n");
        }
        Path items = tmp.resolve("gz/items.csv");
        InputFixtures.write(
                items, List.of("item_id,title,categories", "5,Soup,food"), StandardCharsets.UTF_8);
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        StageMetrics m = new IngestJob(false).run(spark, w, clicks(events, items, null, 0.001));
        assertThat(m.figures()).containsEntry("accepted", 2L).containsEntry("rejected", 0L);
        assertThat(w.read("events", "ingest").filter("user_id = 2").first().getLong(2))
                .isEqualTo(1743552001L);
    }

    @Test
    void ingestsGenericParquetWithRowNumbersInRejects() throws Exception {
        StructType eventSchema =
                new StructType()
                        .add("user_id", DataTypes.LongType)
                        .add("item_id", DataTypes.LongType)
                        .add("ts", DataTypes.TimestampType);
        Dataset<Row> ev =
                spark.createDataFrame(
                        List.of(
                                RowFactory.create(
                                        1L,
                                        7L,
                                        java.sql.Timestamp.from(
                                                java.time.Instant.ofEpochSecond(1743552000L))),
                                RowFactory.create(
                                        2L,
                                        7L,
                                        java.sql.Timestamp.from(
                                                java.time.Instant.ofEpochSecond(1743552060L))),
                                RowFactory.create(
                                        -3L,
                                        7L,
                                        java.sql.Timestamp.from(
                                                java.time.Instant.ofEpochSecond(1743552120L)))),
                        eventSchema);
        Path events = tmp.resolve("pq/events.parquet");
        ev.coalesce(1).write().parquet(events.toString());
        StructType itemSchema =
                new StructType()
                        .add("item_id", DataTypes.LongType)
                        .add("title", DataTypes.StringType)
                        .add("categories", DataTypes.createArrayType(DataTypes.StringType));
        Path items = tmp.resolve("pq/items.parquet");
        spark.createDataFrame(
                        List.of(
                                RowFactory.create(
                                        7L,
                                        "Tea",
                                        org.coea.spark.SparkRows.array(List.of("drinks", "hot")))),
                        itemSchema)
                .coalesce(1)
                .write()
                .parquet(items.toString());
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        StageMetrics m = new IngestJob(false).run(spark, w, clicks(events, items, null, 0.5));
        assertThat(m.figures())
                .containsEntry("format", "clicks-parquet")
                .containsEntry("accepted", 2L)
                .containsEntry("rejected", 1L)
                .containsEntry("categories", 2L);
        Row reject = w.read("rejects", "ingest").first();
        assertThat(reject.getString(1)).contains("events.parquet");
        assertThat(reject.getLong(2)).isEqualTo(3L);
        assertThat(reject.getString(4)).isEqualTo("negative user id '-3'");
        assertThat(w.read("events", "ingest").filter("user_id = 2").first().getLong(2))
                .isEqualTo(1743552060L);
    }

    /** Set operations do not take MAP columns: compare those as JSON (keys are sorted). */
    private static Dataset<Row> comparable(Dataset<Row> table) {
        return java.util.Arrays.asList(table.columns()).contains("features")
                ? table.selectExpr("user_id", "to_json(features) as features")
                : table;
    }

    @Test
    void syntheticGeneratorIsDeterministic() {
        SyntheticSpec spec = Fixtures.smallSyntheticSpec(5);
        Warehouse a = new Warehouse(spark, tmp.resolve("a").toString());
        Warehouse b = new Warehouse(spark, tmp.resolve("b").toString());
        Warehouse c = new Warehouse(spark, tmp.resolve("c").toString());
        StageMetrics ma = new IngestJob(true).run(spark, a, synthetic(spec));
        new IngestJob(true).run(spark, b, synthetic(spec));
        new IngestJob(true).run(spark, c, synthetic(Fixtures.smallSyntheticSpec(6)));
        assertThat(ma.figures()).containsEntry("users", 200L).containsEntry("rejected", 0L);
        for (String table : List.of("events", "items", "users", "categories")) {
            Dataset<Row> ta = comparable(a.read(table, "ingest"));
            Dataset<Row> tb = comparable(b.read(table, "ingest"));
            assertThat(ta.count()).as(table).isEqualTo(tb.count()).isPositive();
            assertThat(ta.exceptAll(tb).count()).as(table).isZero();
            assertThat(tb.exceptAll(ta).count()).as(table).isZero();
        }
        assertThat(a.read("events", "ingest").exceptAll(c.read("events", "ingest")).count())
                .isPositive();
    }
}
