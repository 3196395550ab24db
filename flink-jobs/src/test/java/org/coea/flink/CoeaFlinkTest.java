package org.coea.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.junit.jupiter.api.Test;

class CoeaFlinkTest {
    private static final ConfigOption<Integer> WINDOW =
            ConfigOptions.key("window.minutes")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Window length in minutes.");

    /** A job that records the configuration it ran with. */
    private static final class RecordingJob implements FlinkJob {
        final List<Configuration> runs = new ArrayList<>();
        private final String name;

        RecordingJob(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String summary() {
            return "Counts things per window.";
        }

        @Override
        public List<ConfigOption<?>> options() {
            return List.of(WINDOW);
        }

        @Override
        public void run(Configuration conf) {
            runs.add(conf);
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(CoeaFlink coea, String... args) throws Exception {
        return coea.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void dispatchesToTheNamedJobWithItsResolvedOptions() throws Exception {
        RecordingJob counts = new RecordingJob("count-things");
        RecordingJob other = new RecordingJob("other-job");
        CoeaFlink coea = new CoeaFlink(List.of(counts, other));

        assertThat(run(coea, "count-things", "--window.minutes", "15")).isZero();
        assertThat(run(coea, "count-things")).isZero();
        assertThat(counts.runs).extracting(c -> c.get(WINDOW)).containsExactly(15, 5);
        assertThat(other.runs).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void printsTheJobListAndEachJobsOptions() throws Exception {
        CoeaFlink coea = new CoeaFlink(List.of(new RecordingJob("count-things")));
        assertThat(run(coea, "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("usage: coea flink <job>")
                .contains("  count-things  Counts things per window.");
        out.reset();
        assertThat(run(coea, "count-things", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("usage: coea flink count-things")
                .contains("--window.minutes <int>")
                .contains("default: 5");
    }

    @Test
    void rejectsABadCommandLineWithStatusTwo() throws Exception {
        RecordingJob job = new RecordingJob("count-things");
        CoeaFlink coea = new CoeaFlink(List.of(job));
        assertThat(run(coea)).isEqualTo(CoeaFlink.USAGE_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: coea flink <job>");
        err.reset();
        assertThat(run(coea, "count-thing")).isEqualTo(CoeaFlink.USAGE_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown job 'count-thing'")
                .contains("count-things");
        err.reset();
        assertThat(run(coea, "count-things", "--window.minutes", "soon"))
                .isEqualTo(CoeaFlink.USAGE_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("coea flink count-things: option window.minutes: cannot read 'soon'");
        assertThat(job.runs).isEmpty();
    }

    @Test
    void theModuleJobListIsWellFormed() throws Exception {
        CoeaFlink coea = new CoeaFlink(CoeaFlink.JOBS);
        assertThat(run(coea, "--help")).isZero();
        if (CoeaFlink.JOBS.isEmpty()) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("(none in this build yet)");
        }
        for (FlinkJob job : CoeaFlink.JOBS) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(job.name());
        }
        assertThatThrownBy(
                        () -> new CoeaFlink(List.of(new RecordingJob("a"), new RecordingJob("a"))))
                .hasMessageContaining("two jobs are named a");
        assertThatThrownBy(() -> new CoeaFlink(List.of(new RecordingJob("CountThings"))))
                .hasMessageContaining("kebab-case");
    }

    @Test
    void theModuleListsItsThreeJobsAndEachOptionKeyOnce() {
        assertThat(CoeaFlink.JOBS)
                .extracting(FlinkJob::name)
                .containsExactly("short-term-interest", "novelty-lookup", "exposure-novelty");
        for (FlinkJob job : CoeaFlink.JOBS) {
            assertThat(job.options().stream().map(ConfigOption::key))
                    .as("option keys of %s", job.name())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void configurationReferenceIsInStepWithTheCode() throws Exception {
        assertThat(run(new CoeaFlink(CoeaFlink.JOBS), "options-doc")).isZero();
        String doc =
                java.nio.file.Files.readString(java.nio.file.Path.of("../docs/configuration.md"));
        assertThat(doc)
                .as(
                        "docs/configuration.md is stale: append the output of coea flink options-doc"
                                + " (docs/streaming.md)")
                .contains(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("### `coea flink short-term-interest`", "| `sequences.short-length` |");
    }
}
