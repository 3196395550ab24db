package org.coea.spark.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.split.SplitMode;
import org.coea.common.testutils.Fixtures;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.ingest.IngestOptions;
import org.coea.spark.testutils.IngestOptionsFixtures;
import org.coea.spark.testutils.InputFixtures;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitITCase {
    static SparkSession spark;

    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
    }

    private Warehouse ingest(IngestOptions.Source source, Path movielens) {
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        new IngestJob(true)
                .run(
                        spark,
                        w,
                        source == IngestOptions.Source.MOVIELENS
                                ? IngestOptionsFixtures.movielens(movielens, 0.001)
                                : IngestOptionsFixtures.synthetic(Fixtures.smallSyntheticSpec(2)));
        return w;
    }

    @Test
    void perUserSplitOnMovieLensTakesEachUsersLastClicks() throws Exception {
        // user 1: 6 clicks -> 1 test (the last), 0 valid; users 2 (3 clicks) and 3 (2): all train.
        Path dir = InputFixtures.ml1m(tmp.resolve("ml"), List.of("1::2::5::978300765"));
        Warehouse w = ingest(IngestOptions.Source.MOVIELENS, dir);
        StageMetrics m =
                new SplitJob().run(spark, w, new SplitOptions(SplitMode.AUTO, 0.2, 0.1, 2, 3, 0.2));
        assertThat(m.figures())
                .containsEntry("mode", "per-user")
                .containsEntry("train", 10L)
                .containsEntry("valid", 0L)
                .containsEntry("test", 1L)
                .containsEntry("test_users", 1L);
        Row test = w.read("test", "split").first();
        assertThat(test.getLong(0)).isEqualTo(1L);
        assertThat(test.getLong(1)).isEqualTo(2L);
        assertThat(test.getLong(2)).isEqualTo(978300765L);
        // Training volumes: the test click on movie 2 (Adventure|Children's|Fantasy) is not
        // counted.
        Row adventure = w.read("train_categories", "split").filter("name = 'Adventure'").first();
        assertThat(adventure.getLong(2)).isEqualTo(2L);
    }

    @Test
    void perUserSplitKeepsEveryEventOnceAndInTimeOrder() {
        Warehouse w = ingest(IngestOptions.Source.SYNTHETIC, null);
        new SplitJob().run(spark, w, new SplitOptions(SplitMode.PER_USER, 0.2, 0.1, 2, 3, 0.2));
        Dataset<Row> events = w.read("events", "ingest");
        Dataset<Row> all =
                w.read("train", "split")
                        .unionByName(w.read("valid", "split"))
                        .unionByName(w.read("test", "split"));
        assertThat(all.count()).isEqualTo(events.count());
        assertThat(all.exceptAll(events).count()).isZero();
        // No training click of a user is later than any of that user's test clicks.
        long violations =
                w.read("train", "split")
                        .filter("event_type = 'click'")
                        .groupBy("user_id")
                        .max("ts")
                        .withColumnRenamed("max(ts)", "last_train")
                        .join(
                                w.read("test", "split")
                                        .filter("event_type = 'click'")
                                        .groupBy("user_id")
                                        .min("ts")
                                        .withColumnRenamed("min(ts)", "first_test"),
                                "user_id")
                        .filter("last_train > first_test")
                        .count();
        assertThat(violations).isZero();
        // Every user's test part is floor(0.2 n) of its n clicks.
        Dataset<Row> n = events.filter("event_type = 'click'").groupBy("user_id").count();
        Dataset<Row> t =
                w.read("test", "split")
                        .filter("event_type = 'click'")
                        .groupBy("user_id")
                        .count()
                        .withColumnRenamed("count", "t");
        assertThat(n.join(t, "user_id").filter("t != floor(count * 0.2)").count()).isZero();
    }

    @Test
    void byDaySplitCutsTheLastDays() {
        Warehouse w = ingest(IngestOptions.Source.SYNTHETIC, null);
        StageMetrics m =
                new SplitJob().run(spark, w, new SplitOptions(SplitMode.AUTO, 0.2, 0.1, 2, 3, 0.2));
        // The small spec covers 10 days from 2025-04-02: test = 04-10..04-11, valid = 04-07..04-09.
        assertThat(m.figures())
                .containsEntry("mode", "by-day")
                .containsEntry("first_test_day", "2025-04-10")
                .containsEntry("first_valid_day", "2025-04-07");
        long firstTest = java.time.LocalDate.parse("2025-04-10").toEpochDay() * 86_400L;
        long firstValid = java.time.LocalDate.parse("2025-04-07").toEpochDay() * 86_400L;
        assertThat(w.read("test", "split").filter("ts < " + firstTest).count()).isZero();
        assertThat(
                        w.read("valid", "split")
                                .filter("ts < " + firstValid + " or ts >= " + firstTest)
                                .count())
                .isZero();
        assertThat(w.read("train", "split").filter("ts >= " + firstValid).count()).isZero();
        long total =
                (long) m.figures().get("train")
                        + (long) m.figures().get("valid")
                        + (long) m.figures().get("test");
        assertThat(total).isEqualTo(w.read("events", "ingest").count());
    }
}
