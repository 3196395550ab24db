package org.coea.spark.sequences;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.split.SplitMode;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.split.SplitOptions;
import org.coea.spark.testutils.IngestOptionsFixtures;
import org.coea.spark.testutils.InputFixtures;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequencesITCase {
    @TempDir Path tmp;

    @Test
    void buildsLongAndShortSequencesAndListsTooShortHistories() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        new IngestJob(false)
                .run(
                        spark,
                        w,
                        IngestOptionsFixtures.movielens(
                                InputFixtures.ml1m(tmp.resolve("ml"), List.of()), 0.001));
        new SplitJob().run(spark, w, new SplitOptions(SplitMode.PER_USER, 0.2, 0.1, 2, 3, 0.2));
        StageMetrics m = new SequencesJob().run(spark, w, new SequencesOptions(4.5, 200, 3, 2));

        // User 1 trains on its first 4 clicks: 1 (r5), 2 (r4), 3 (r4), 4 (r5); the 5th is test.
        Row u1 = w.read("sequences", "sequences").filter("user_id = 1").first();
        assertThat(u1.<Long>getList(1)).containsExactly(1L, 4L);
        assertThat(u1.<Long>getList(2)).containsExactly(2L, 3L, 4L);
        // Movie 2: Adventure(1) Children's(3) Fantasy(7); 3: Drama(6); 4: Action(0) Crime(5)
        // Thriller(8).
        assertThat(u1.<Integer>getList(3)).containsExactly(1, 3, 7, 6, 0, 5, 8);
        assertThat(u1.<Integer>getList(4)).containsExactly(0, 1, 3, 5, 6, 7, 8);
        assertThat(u1.getString(5)).isEqualTo(CategorySetHash.hex(List.of(0, 1, 3, 5, 6, 7, 8)));
        assertThat(u1.getInt(6)).isEqualTo(4);

        // Users 2 and 3 have one click of strength >= 4.5 each: listed, not dropped silently.
        List<Row> tooShort =
                w.read("short_histories", "sequences").orderBy("user_id").collectAsList();
        assertThat(tooShort).extracting(r -> r.getLong(0)).containsExactly(2L, 3L);
        assertThat(tooShort.get(0).getString(3)).contains("shorter than 2");
        assertThat(m.figures()).containsEntry("users", 1L).containsEntry("users_too_short", 2L);
        assertThat(m.rowsIn()).isEqualTo(3);
    }
}
