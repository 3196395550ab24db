package org.coea.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.spark.warehouse.Warehouse;

/**
 * {@code coea run}: the main job. Runs every stage end to end in one Spark session, on the
 * synthetic generator unless an input is given, and prints per stage its rows in/out and time.
 */
public final class RunJob {
    /** The subcommand name. */
    public static final String NAME = "run";

    private RunJob() {}

    /** The options of {@code run}: every stage's, once each. */
    public static List<ConfigOption<?>> options() {
        Map<String, ConfigOption<?>> all = new LinkedHashMap<>();
        for (Stage s : Stages.pipeline(true)) {
            s.options().forEach(o -> all.putIfAbsent(o.key(), o));
        }
        return new ArrayList<>(all.values());
    }

    /** Runs the pipeline; returns each stage's metrics in order. */
    public static List<StageMetrics> run(SparkSession spark, Configuration conf, PrintStream out) {
        Warehouse warehouse = new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE));
        List<StageMetrics> done = new ArrayList<>();
        for (Stage stage : Stages.pipeline(true)) {
            out.printf(Locale.ROOT, "== %s ==%n", stage.name());
            StageMetrics m = stage.run(spark, conf);
            done.add(m);
        }
        out.println();
        out.println(table(done));
        out.println("warehouse: " + warehouse.root() + " (metrics in _metrics/)");
        return done;
    }

    /** The per-stage summary table. */
    static String table(List<StageMetrics> metrics) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%-12s %14s %14s %10s%n",
                        "stage",
                        "rows in",
                        "rows out",
                        "seconds"));
        double total = 0;
        for (StageMetrics m : metrics) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-12s %,14d %,14d %10.1f%n",
                            m.stage(),
                            m.rowsIn(),
                            m.rowsOut(),
                            m.seconds()));
            total += m.seconds();
        }
        sb.append(String.format(Locale.ROOT, "%-12s %14s %14s %10.1f", "total", "", "", total));
        return sb.toString();
    }
}
