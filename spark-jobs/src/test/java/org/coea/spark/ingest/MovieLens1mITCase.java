package org.coea.spark.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.split.SplitMode;
import org.coea.spark.split.SplitJob;
import org.coea.spark.split.SplitOptions;
import org.coea.spark.testutils.IngestOptionsFixtures;
import org.coea.spark.testutils.InputFixtures;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.warehouse.Warehouse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark data set, ../shared/data/movielens-1m-pos; skipped where it is absent. */
class MovieLens1mITCase {
    @TempDir Path tmp;

    @Test
    void ingestAndSplitTheMovieLens1mPositives() {
        Optional<Path> dir = InputFixtures.movieLens1mPositives();
        Assumptions.assumeTrue(
                dir.isPresent(),
                "skipped: ../shared/data/movielens-1m-pos/ratings.dat is absent (set -Dcoea.shared.dir)");
        SparkSession spark = SparkTestSession.get();
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        StageMetrics m =
                new IngestJob(false)
                        .run(spark, w, IngestOptionsFixtures.movielens(dir.get(), 0.001));
        Map<String, Object> written = w.readMetrics("ingest").orElseThrow();
        assertThat(written)
                .containsEntry("accepted", 575_281)
                .containsEntry("rejected", 0)
                .containsEntry("users", 6_038)
                .containsEntry("items", 3_533)
                .containsEntry("categories", 18);

        StageMetrics split =
                new SplitJob().run(spark, w, new SplitOptions(SplitMode.AUTO, 0.2, 0.1, 2, 3, 0.2));
        assertThat(split.figures()).containsEntry("mode", "per-user");
        long train = (long) split.figures().get("train");
        long valid = (long) split.figures().get("valid");
        long test = (long) split.figures().get("test");
        assertThat(train + valid + test).isEqualTo(575_281L);
        assertThat(w.read("train_categories", "split").filter("long_tail").count()).isEqualTo(3);
    }
}
