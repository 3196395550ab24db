package org.coea.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.CommandLine;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.config.OptionsHelp;
import org.coea.common.metrics.StageMetrics;
import org.coea.spark.eval.CompareCommand;
import org.coea.spark.store.HBaseInitCommand;
import org.coea.spark.store.LookupCommand;

/**
 * The entry point of the spark-jobs jar: {@code coea <stage> [--key value ...]}, also the main
 * class that {@code spark-submit} runs. Exit status 0 on success, 1 when a stage fails, 2 for a
 * usage error.
 */
public final class CoeaSpark {
    private CoeaSpark() {}

    /** Runs a subcommand and exits with its status. */
    public static void main(String[] args) {
        int status = execute(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs a subcommand; returns the exit status (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0
                || args[0].equals("--help")
                || args[0].equals("-h")
                || args[0].equals("help")) {
            out.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Optional<Stage> stage = Stages.byName(command);
        List<ConfigOption<?>> options = new ArrayList<>(CommonOptions.ALL);
        if (command.equals(RunJob.NAME)) {
            options.addAll(RunJob.options());
        } else if (command.equals(CompareCommand.NAME)) {
            options.addAll(CompareCommand.options());
        } else if (command.equals(LookupCommand.NAME)) {
            return lookup(rest, out, err);
        } else if (command.equals(HBaseInitCommand.NAME)) {
            return hbaseInit(rest, out, err);
        } else if (command.equals("options-doc")) {
            out.print(optionsDoc());
            return 0;
        } else if (stage.isPresent()) {
            options.addAll(stage.get().options());
        } else {
            err.println("coea: unknown command '" + command + "'");
            err.print(usage());
            return 2;
        }
        Configuration conf;
        try {
            CommandLine cl = CommandLine.parse(rest, options);
            if (cl.help()) {
                Optional<String> summary =
                        command.equals(CompareCommand.NAME)
                                ? Optional.of(CompareCommand.summary())
                                : stage.map(Stage::summary);
                out.print(commandHelp(command, summary, options));
                return 0;
            }
            conf = cl.resolve(options);
        } catch (IllegalArgumentException e) {
            err.println("coea " + command + ": " + e.getMessage());
            return 2;
        }
        SparkSession spark = SparkSessions.create(command, conf);
        try {
            if (command.equals(RunJob.NAME)) {
                RunJob.run(spark, conf, out);
            } else if (command.equals(CompareCommand.NAME)) {
                CompareCommand.run(spark, conf, out);
            } else {
                StageMetrics m = stage.get().run(spark, conf);
                out.printf(
                        Locale.ROOT,
                        "%s: rows in %,d, rows out %,d, %.1f s%n",
                        m.stage(),
                        m.rowsIn(),
                        m.rowsOut(),
                        m.seconds());
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("coea " + command + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("coea " + command + ": failed: " + e);
            e.printStackTrace(err);
            return 1;
        } finally {
            spark.stop();
        }
    }

    /** {@code coea lookup}: no Spark session, one JSON line. */
    private static int lookup(String[] args, PrintStream out, PrintStream err) {
        List<ConfigOption<?>> options = new ArrayList<>(List.of(CommonOptions.WAREHOUSE));
        options.addAll(LookupCommand.options());
        Configuration conf;
        try {
            CommandLine cl = CommandLine.parse(args, options);
            if (cl.help()) {
                out.print(
                        commandHelp(
                                LookupCommand.NAME, Optional.of(LookupCommand.summary()), options));
                return 0;
            }
            conf = cl.resolve(options);
        } catch (IllegalArgumentException e) {
            err.println("coea " + LookupCommand.NAME + ": " + e.getMessage());
            return 2;
        }
        try {
            out.println(LookupCommand.lookup(conf));
            return 0;
        } catch (RuntimeException e) {
            err.println("coea " + LookupCommand.NAME + ": " + e.getMessage());
            return 1;
        }
    }

    /** {@code coea hbase-init}: no Spark session, one report line per namespace and table. */
    private static int hbaseInit(String[] args, PrintStream out, PrintStream err) {
        List<ConfigOption<?>> options = HBaseInitCommand.options();
        Configuration conf;
        try {
            CommandLine cl = CommandLine.parse(args, options);
            if (cl.help()) {
                out.print(
                        commandHelp(
                                HBaseInitCommand.NAME,
                                Optional.of(HBaseInitCommand.summary()),
                                options));
                return 0;
            }
            conf = cl.resolve(options);
        } catch (IllegalArgumentException e) {
            err.println("coea " + HBaseInitCommand.NAME + ": " + e.getMessage());
            return 2;
        }
        try {
            for (String line : HBaseInitCommand.run(conf)) {
                out.println(HBaseInitCommand.NAME + ": " + line);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("coea " + HBaseInitCommand.NAME + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("coea " + HBaseInitCommand.NAME + ": " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: coea <command> [--key value ...] [--config FILE] [--help]\n\n");
        sb.append("commands:\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  %-12s %s%n",
                        RunJob.NAME,
                        "the main job: every stage end to end (synthetic data unless --movielens/--clicks)"));
        for (Stage s : Stages.all()) {
            sb.append(String.format(Locale.ROOT, "  %-12s %s%n", s.name(), s.summary()));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  %-12s %s%n",
                        CompareCommand.NAME,
                        CompareCommand.summary()));
        sb.append(
                String.format(
                        Locale.ROOT, "  %-12s %s%n", LookupCommand.NAME, LookupCommand.summary()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  %-12s %s%n",
                        HBaseInitCommand.NAME,
                        HBaseInitCommand.summary()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  %-12s %s%n",
                        "options-doc",
                        "print every option as a Markdown table (docs/configuration.md)"));
        sb.append("\n`coea <command> --help` lists the command's options.\n");
        return sb.toString();
    }

    static String commandHelp(
            String command, Optional<String> summary, List<ConfigOption<?>> options) {
        return "usage: coea "
                + command
                + " [options]\n"
                + summary.map(s -> "  " + s + "\n").orElse("")
                + "\noptions (precedence: command line > --config file > default):\n"
                + OptionsHelp.text(options);
    }

    static String optionsDoc() {
        StringBuilder sb = new StringBuilder();
        sb.append("### Every command\n\n").append(OptionsHelp.markdown(CommonOptions.ALL));
        for (Stage s : Stages.all()) {
            sb.append("\n### `coea ")
                    .append(s.name())
                    .append("`\n\n")
                    .append(OptionsHelp.markdown(s.options()));
        }
        sb.append("\n### `coea ")
                .append(CompareCommand.NAME)
                .append("`\n\nEvery option of `coea run`, and:\n\n")
                .append(OptionsHelp.markdown(CompareCommand.addedOptions()));
        sb.append("\n### `coea ")
                .append(LookupCommand.NAME)
                .append("`\n\n")
                .append(OptionsHelp.markdown(LookupCommand.options()));
        sb.append("\n### `coea ")
                .append(HBaseInitCommand.NAME)
                .append("`\n\n")
                .append(OptionsHelp.markdown(HBaseInitCommand.options()));
        return sb.toString();
    }
}
