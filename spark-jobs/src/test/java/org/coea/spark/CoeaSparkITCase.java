package org.coea.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coea.common.metrics.StageMetrics;
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
