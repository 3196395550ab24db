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
 * {@code coea compare} on small synthetic data: the shared stages once, CoEA, one ablation,
 * Google-v1, GRU4Rec and Two-tower with two seeds each, and a report whose means and spreads are
 * those of the runs' own reports; then again with {@code compare.reuse}, which keeps every piece,
 * and with a changed baseline option, which redoes only the trained baselines.
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
                        + "compare.seeds = 2\ncompare.ablations = no-kl\nbaseline.epochs = 2\n"
                        + "compare.baselines = gru4rec,two-tower,google-v1\n");
        String first = compare(warehouse, config);
        ObjectMapper json = new ObjectMapper();
        JsonNode report = json.readTree(warehouse.resolve("report/metrics.json").toFile());
        assertThat(report.get("systems").fieldNames())
                .toIterable()
                .containsExactly(
                        "CoEA",
                        "CoEA w/o KL",
                        "CoEA 0 cycles",
                        "Popularity",
                        "SASRec",
                        "GRU4Rec",
                        "Two-tower",
                        "Random",
                        "Google-v1");
        assertThat(first).contains("== compare: csa ==", "== compare: gru4rec-s");
        assertThat(report.get("seeds").get("CoEA")).hasSize(2);
        assertThat(report.get("seeds").get("Random")).hasSize(3);
        long seed = report.get("seeds").get("CoEA").get(0).asLong();
        for (String variant : new String[] {"none", "no-kl", "google-v1", "gru4rec", "two-tower"}) {
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
            String name =
                    switch (variant) {
                        case "none" -> "CoEA";
                        case "no-kl" -> "CoEA w/o KL";
                        case "google-v1" -> "Google-v1";
                        case "gru4rec" -> "GRU4Rec";
                        default -> "Two-tower";
                    };
            String inRun = variant.startsWith("gru") || variant.startsWith("two") ? name : "CoEA";
            for (String metric : new String[] {"C-H@1", "NCP@5", "CLTP@10"}) {
                double x = a.get("systems").get(inRun).get(metric).asDouble();
                double y = b.get("systems").get(inRun).get(metric).asDouble();
                assertThat(report.get("systems").get(name).get(metric).asDouble())
                        .isCloseTo((x + y) / 2, within(1e-4));
                assertThat(report.get("spread").get(name).get(metric).asDouble())
                        .isCloseTo(Math.abs(x - y) / 2, within(1e-4));
            }
        }
        assertThat(warehouse.resolve("report/index.html"))
                .content()
                .contains("CoEA w/o KL", "GRU4Rec", "data:image/png;base64,");
        // Google-v1 is aligned once: one cycle.
        assertThat(
                        json.readTree(
                                        warehouse
                                                .resolve(
                                                        "runs/google-v1-s"
                                                                + seed
                                                                + "/_metrics/pco-cycle.json")
                                                .toFile())
                                .get("cycles_completed")
                                .asInt())
                .isEqualTo(1);

        // With compare.reuse every piece is kept: nothing trains again, the report is the same.
        Path run = warehouse.resolve("runs/none-s" + seed + "/report/metrics.json");
        long before = Files.getLastModifiedTime(run).toMillis();
        String again = compare(warehouse, config, "--compare.reuse", "true");
        assertThat(again)
                .contains(
                        "shared stages kept",
                        "run none-s" + seed + " kept",
                        "gru4rec-s" + seed + " kept")
                .doesNotContain("== compare: csa ==", "== compare: run none-s" + seed + " ==");
        assertThat(Files.getLastModifiedTime(run).toMillis()).isEqualTo(before);
        assertThat(json.readTree(warehouse.resolve("report/metrics.json").toFile()).get("systems"))
                .isEqualTo(report.get("systems"));

        // A changed baseline option redoes the trained baselines only.
        String changed =
                compare(warehouse, config, "--compare.reuse", "true", "--baseline.epochs", "1");
        assertThat(changed)
                .contains("run none-s" + seed + " kept", "== compare: gru4rec-s" + seed + " ==")
                .doesNotContain("== compare: run none-s" + seed + " ==");
    }

    private static String compare(Path warehouse, Path config, String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] base = {
            "compare",
            "--synthetic",
            "true",
            "--warehouse",
            warehouse.toString(),
            "--config",
            config.toString(),
            "--spark.master",
            "local[2]"
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        int status =
                CoeaSpark.execute(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as("stderr: %s", err).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
