package org.coea.spark.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coea.spark.CoeaSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coea compare} on small synthetic data: the shared stages once, CoEA and one ablation with
 * two seeds each, and a report whose means and spreads are those of the runs' own reports.
 */
class CompareITCase {
    @TempDir Path tmp;

    @Test
    void compareRunsEveryVariantPerSeedAndReportsMeanAndSpread() throws Exception {
        Path warehouse = tmp.resolve("w");
        Path config = tmp.resolve("small.properties");
        Files.writeString(
                config,
                "synthetic.users = 150\nsynthetic.items = 300\nsynthetic.categories = 20\n"
                        + "synthetic.days = 8\ncsa.epochs = 1\ngroups.epochs = 2\n"
                        + "pco.cycles = 1\npco.sample-rate = 0.2\npco.novelty-steps = 15\n"
                        + "pco.relevance-steps = 15\npco.guard-drop = 1\n"
                        + "compare.seeds = 2\ncompare.ablations = no-kl\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                CoeaSpark.execute(
                        new String[] {
                            "compare",
                            "--synthetic",
                            "true",
                            "--warehouse",
                            warehouse.toString(),
                            "--config",
                            config.toString(),
                            "--spark.master",
                            "local[2]"
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as("stderr: %s", err).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode report = json.readTree(warehouse.resolve("report/metrics.json").toFile());
        assertThat(report.get("systems").fieldNames())
                .toIterable()
                .containsExactly(
                        "CoEA", "CoEA w/o KL", "CoEA 0 cycles", "Popularity", "SASRec", "Random");
        assertThat(report.get("seeds").get("CoEA")).hasSize(2);
        assertThat(report.get("seeds").get("Random")).hasSize(3);
        long seed = report.get("seeds").get("CoEA").get(0).asLong();
        for (String variant : new String[] {"none", "no-kl"}) {
            JsonNode a =
                    json.readTree(
                            warehouse
                                    .resolve(
                                            "runs/"
                                                    + variant
                                                    + "-s"
                                                    + seed
                                                    + "/report/metrics.json")
                                    .toFile());
            JsonNode b =
                    json.readTree(
                            warehouse
                                    .resolve(
                                            "runs/"
                                                    + variant
                                                    + "-s"
                                                    + (seed + 1)
                                                    + "/report/metrics.json")
                                    .toFile());
            String name = variant.equals("none") ? "CoEA" : "CoEA w/o KL";
            for (String metric : new String[] {"C-H@1", "NCP@5", "CLTP@10"}) {
                double x = a.get("systems").get("CoEA").get(metric).asDouble();
                double y = b.get("systems").get("CoEA").get(metric).asDouble();
                assertThat(report.get("systems").get(name).get(metric).asDouble())
                        .isCloseTo((x + y) / 2, within(1e-4));
                assertThat(report.get("spread").get(name).get(metric).asDouble())
                        .isCloseTo(Math.abs(x - y) / 2, within(1e-4));
            }
        }
        assertThat(warehouse.resolve("report/index.html"))
                .content()
                .contains("CoEA w/o KL", "data:image/png;base64,");
    }
}
