package org.coea.spark;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.spark.testutils.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job through the command line, as {@code bin/coea run} and spark-submit call it. */
class CoeaSparkITCase {
    @TempDir Path tmp;

    @Test
    void runExecutesEveryStageOnSyntheticDataAndWritesMetrics() throws Exception {
        Path warehouse = tmp.resolve("w");
        Path config = tmp.resolve("small.properties");
        Files.writeString(
                config,
                "synthetic.users = 300\nsynthetic.items = 500\nsynthetic.categories = 40\nsynthetic.days = 8\n"
                        + "csa.epochs = 1\ngroups.epochs = 2\n"
                        + "pco.cycles = 2\npco.sample-rate = 0.2\npco.novelty-steps = 20\n"
                        + "pco.relevance-steps = 20\npco.guard-drop = 1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                CoeaSpark.execute(
                        new String[] {
                            "run",
                            "--warehouse",
                            warehouse.toString(),
                            "--config",
                            config.toString(),
                            "--spark.master",
                            "local[2]",
                            "--synthetic.users",
                            "250"
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as("stderr: %s", err).isZero();
        assertThat(printed).contains("== ingest ==", "== split ==", "rows in", "total");
        for (String stage : new String[] {"ingest", "split"}) {
            Map<String, Object> m =
                    StageMetrics.parseJson(
                            Files.readString(warehouse.resolve("_metrics/" + stage + ".json")));
            assertThat(m).containsKeys("rows_in", "rows_out", "seconds");
        }
        Map<String, Object> ingest =
                StageMetrics.parseJson(Files.readString(warehouse.resolve("_metrics/ingest.json")));
        // The command line (250) wins over the config file (300).
        assertThat(ingest).containsEntry("users", 250).containsEntry("source", "synthetic");
        assertThat(ingest).containsEntry("categories", 40);
        assertThat(warehouse.resolve("train/_SUCCESS")).exists();
        // The whole method: the last stages ran, the store holds cycle 2's entries.
        assertThat(printed).contains("== pco-cycle ==", "== store ==");
        assertThat(printed)
                .as("the summary table's pco-cycle row: 2 cycles")
                .containsPattern("pco-cycle +2 +2 ");
        Map<String, Object> pco =
                StageMetrics.parseJson(
                        Files.readString(warehouse.resolve("_metrics/pco-cycle.json")));
        assertThat(pco).containsEntry("cycles_completed", 2);
        assertThat(warehouse.resolve("registry/v-0002/manifest.json")).exists();
        assertThat(warehouse.resolve("store/rocksdb")).isDirectory();

        // evaluate, the last stage: the report, and Popularity's C-H@1 against a plain count.
        assertThat(printed).contains("== evaluate ==");
        JsonNode report =
                new ObjectMapper().readTree(warehouse.resolve("report/metrics.json").toFile());
        JsonNode systems = report.get("systems");
        assertThat(systems.fieldNames())
                .toIterable()
                .containsExactly("CoEA", "CoEA 0 cycles", "Popularity", "SASRec", "Random");
        for (JsonNode system : systems) {
            assertThat(system.get("NCP@5").asDouble()).isBetween(0.0, 1.0);
            assertThat(system.get("C-N@10").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(report.get("seeds").get("Random")).hasSize(3);
        assertThat(warehouse.resolve("report/metrics.md")).content().contains("| CoEA |");
        assertThat(warehouse.resolve("report/index.html"))
                .content()
                .contains("Validation figures per PCO cycle", "data:image/png;base64,");
        SparkSession spark = SparkTestSession.get();
        String w = warehouse.toString();
        Row top =
                spark.read()
                        .parquet(w + "/train_categories")
                        .orderBy(col("click_volume").desc(), col("category_id"))
                        .first();
        Dataset<Row> population =
                spark.read()
                        .parquet(w + "/sequences")
                        .select("user_id")
                        .join(
                                spark.read().parquet(w + "/user_groups").select("user_id"),
                                "user_id");
        Dataset<Row> testClicks =
                spark.read()
                        .parquet(w + "/test")
                        .filter(col("event_type").equalTo("click"))
                        .join(spark.read().parquet(w + "/items"), "item_id")
                        .join(population, "user_id");
        long users = testClicks.select("user_id").distinct().count();
        long hit =
                testClicks
                        .filter(
                                array_contains(
                                        col("categories"),
                                        top.getInt(top.fieldIndex("category_id"))))
                        .select("user_id")
                        .distinct()
                        .count();
        assertThat(report.get("users").asLong()).isEqualTo(users);
        assertThat(systems.get("Popularity").get("C-H@1").asDouble())
                .isCloseTo(hit / (double) users, within(1e-4));
    }

    @Test
    void stageFailureExitsWithOneAndAMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                CoeaSpark.execute(
                        new String[] {
                            "split",
                            "--warehouse",
                            tmp.resolve("empty").toString(),
                            "--spark.master",
                            "local[2]"
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("table 'events' is missing")
                .contains("run `coea ingest");
    }
}
