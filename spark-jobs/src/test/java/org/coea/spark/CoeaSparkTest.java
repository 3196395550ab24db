package org.coea.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The dispatcher's help and usage errors (no Spark session is started for these). */
class CoeaSparkTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CoeaSpark.execute(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("run", "ingest", "split", "options-doc");
    }

    @Test
    void commandHelpListsItsOptionsWithDefaults() {
        assertThat(run("ingest", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--warehouse <path>", "default: ./warehouse")
                .contains(
                        "--movielens <path>", "--ingest.max-reject-rate <double>", "default: 0.001")
                .contains("--ingest.category-mapping <all|primary>", "--config <path>");
        out.reset();
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--split.mode", "--synthetic.users");
    }

    @Test
    void storeAndLookupAreCommandsWithTheirOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("  store ", "  lookup ");
        out.reset();
        assertThat(run("store", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "--store.kind <rocksdb|hbase>",
                        "default: ROCKSDB",
                        "--store.path <path>",
                        "--store.hbase.quorum",
                        "--store.batch-size <int>",
                        "--store.retain-versions");
        out.reset();
        assertThat(run("lookup", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--user <string>", "--set <string>", "--store.kind");
        assertThat(run("lookup", "--warehouse", "/nonexistent")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--user is required");
        err.reset();
        out.reset();
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("run runs every stage, PCO and the store included")
                .contains(
                        "--store.kind", "--pco.cycles <int>", "--pco.ablation", "--csa.max-length");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("nonsense")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'nonsense'");
        err.reset();
        assertThat(run("ingest", "--movielen", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--movielen", "movielens");
        err.reset();
        assertThat(run("split", "--split.test-fraction", "lots")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("split.test-fraction", "'lots'");
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void optionsDocIsAMarkdownTablePerCommand() {
        assertThat(run("options-doc")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("### `coea ingest`", "### `coea split`", "| `split.mode` |");
    }

    @Test
    void configurationReferenceIsInStepWithTheCode() throws Exception {
        assertThat(run("options-doc")).isZero();
        String doc =
                java.nio.file.Files.readString(java.nio.file.Path.of("../docs/configuration.md"));
        assertThat(doc)
                .as("docs/configuration.md is stale: regenerate it with bin/coea options-doc")
                .contains(out.toString(StandardCharsets.UTF_8).trim());
    }
}
