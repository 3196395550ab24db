package org.coea.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coea.common.metrics.StageMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar the way {@code spark-submit} does: a fresh JVM whose classpath is Spark's
 * jars (the provided scope, {@code target/classpath.txt}) plus the application jar, nothing else.
 */
class ShadedJarITCase {
    @TempDir Path tmp;

    @Test
    void shadedJarRunsTheMainJobOnSparkAlone() throws Exception {
        Path target = Path.of("target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar =
                    files.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .matches(
                                                            "coea-spark-jobs-[^-]+(-SNAPSHOT)?\\.jar"))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no shaded jar in target/ (run mvn verify)"));
        }
        String sparkClasspath = Files.readString(target.resolve("classpath.txt")).trim();
        assertThat(sparkClasspath).doesNotContain("coea-common", "hash4j");

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        cmd.addAll(Arrays.asList(System.getProperty("coea.jvm.opens", "").trim().split("\\s+")));
        cmd.add(
                "-Dlog4j2.configurationFile="
                        + Path.of("src/test/resources/log4j2-test.properties").toAbsolutePath());
        cmd.add("-cp");
        cmd.add(jar.toAbsolutePath() + File.pathSeparator + sparkClasspath);
        cmd.add("org.coea.spark.CoeaSpark");
        cmd.addAll(
                List.of(
                        "run",
                        "--warehouse",
                        tmp.resolve("w").toString(),
                        "--spark.master",
                        "local[2]",
                        "--synthetic.users",
                        "150",
                        "--synthetic.items",
                        "300",
                        "--synthetic.categories",
                        "20",
                        "--synthetic.days",
                        "6",
                        "--split.valid-days",
                        "1",
                        "--split.test-days",
                        "1",
                        "--csa.epochs",
                        "1",
                        "--groups.epochs",
                        "2"));
        cmd.removeIf(String::isEmpty);
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("out.txt").toFile())
                        .start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        String output = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertThat(finished).as("finished in 5 minutes: %s", output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("== ingest ==", "== split ==", "total");
        Map<String, Object> split =
                StageMetrics.parseJson(Files.readString(tmp.resolve("w/_metrics/split.json")));
        assertThat(split).containsEntry("mode", "by-day");
    }

    /**
     * {@code --help} and {@code hbase-init --help} from the shaded jar alone (deploy/ runs both).
     */
    @Test
    void shadedJarPrintsTheCommandsAndHBaseInitHelp() throws Exception {
        Path target = Path.of("target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar =
                    files.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .matches(
                                                            "coea-spark-jobs-[^-]+(-SNAPSHOT)?\\.jar"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no shaded jar in target/"));
        }
        String classpath =
                jar.toAbsolutePath()
                        + File.pathSeparator
                        + Files.readString(target.resolve("classpath.txt")).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> args : List.of(List.of("--help"), List.of("hbase-init", "--help"))) {
            List<String> cmd =
                    new ArrayList<>(List.of(java, "-cp", classpath, "org.coea.spark.CoeaSpark"));
            cmd.addAll(args);
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(tmp.resolve("help.txt").toFile())
                            .start();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s finished", args).isTrue();
            String output = Files.readString(tmp.resolve("help.txt"), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("%s: %s", args, output).isZero();
            assertThat(output)
                    .as("%s", args)
                    .contains(
                            args.size() == 1 ? "pco-cycle" : "--hbase-init.novelty-regions",
                            args.size() == 1 ? "hbase-init" : "--store.hbase.quorum");
        }
    }
}
