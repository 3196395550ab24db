package org.coea.flink;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.coea.common.config.CommandLine;
import org.coea.common.config.Configuration;
import org.coea.common.config.OptionsHelp;
import org.coea.flink.exposure.ExposureNoveltyJob;
import org.coea.flink.lookup.NoveltyLookupJob;
import org.coea.flink.shortterm.ShortTermInterestJob;

/** The entry point of the Flink jar: {@code coea flink <job> [--key value ...]}. */
public final class CoeaFlink {
    /** Every job of this module, in {@code --help} order: the one list the dispatcher reads. */
    static final List<FlinkJob> JOBS =
            List.of(new ShortTermInterestJob(), new NoveltyLookupJob(), new ExposureNoveltyJob());

    /** The exit status for a bad command line. */
    static final int USAGE_ERROR = 2;

    private final Map<String, FlinkJob> jobs = new LinkedHashMap<>();

    CoeaFlink(List<FlinkJob> jobs) {
        for (FlinkJob job : jobs) {
            if (!job.name().matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new IllegalStateException("job names are kebab-case: " + job.name());
            }
            if (this.jobs.put(job.name(), job) != null) {
                throw new IllegalStateException("two jobs are named " + job.name());
            }
        }
    }

    /** Runs the job the arguments name and exits non-zero when the command line is wrong. */
    public static void main(String[] args) throws Exception {
        int status = new CoeaFlink(JOBS).run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Dispatches; returns the exit status. Failures of a running job propagate. */
    int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.print(usage());
            return USAGE_ERROR;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.print(usage());
            return 0;
        }
        if (name.equals("options-doc")) {
            out.print(optionsDoc());
            return 0;
        }
        FlinkJob job = jobs.get(name);
        if (job == null) {
            err.println("coea flink: unknown job '" + name + "'");
            err.print(usage());
            return USAGE_ERROR;
        }
        try {
            CommandLine line =
                    CommandLine.parse(Arrays.copyOfRange(args, 1, args.length), job.options());
            if (line.help()) {
                out.print(help(job));
                return 0;
            }
            Configuration conf = line.resolve(job.options());
            job.run(conf);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("coea flink " + job.name() + ": " + e.getMessage());
            return USAGE_ERROR;
        }
    }

    /** The overall usage text with the job list. */
    String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: coea flink <job> [--key value ...]").append(System.lineSeparator());
        sb.append("       coea flink <job> --help").append(System.lineSeparator());
        sb.append("       coea flink options-doc   (every option as Markdown)")
                .append(System.lineSeparator());
        sb.append("jobs:").append(System.lineSeparator());
        if (jobs.isEmpty()) {
            sb.append("  (none in this build yet)").append(System.lineSeparator());
        }
        int width = jobs.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (FlinkJob job : jobs.values()) {
            sb.append(
                    String.format(
                            Locale.ROOT, "  %-" + width + "s  %s%n", job.name(), job.summary()));
        }
        return sb.toString();
    }

    /** Every job's options as Markdown, the streaming part of docs/configuration.md. */
    String optionsDoc() {
        StringBuilder sb = new StringBuilder();
        sb.append("## Streaming jobs (`coea flink <job>`, docs/streaming.md)\n");
        for (FlinkJob job : jobs.values()) {
            sb.append("\n### `coea flink ")
                    .append(job.name())
                    .append("`\n\n")
                    .append(job.summary())
                    .append("\n\n")
                    .append(OptionsHelp.markdown(job.options()));
        }
        return sb.toString();
    }

    private static String help(FlinkJob job) {
        return "usage: coea flink "
                + job.name()
                + " [--key value ...]"
                + System.lineSeparator()
                + job.summary()
                + System.lineSeparator()
                + "options:"
                + System.lineSeparator()
                + OptionsHelp.text(job.options());
    }
}
