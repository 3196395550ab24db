package org.coea.spark;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;

/** One batch stage: a {@code coea} subcommand that reads and writes warehouse tables. */
public interface Stage {
    /** The subcommand name, e.g. {@code ingest}. */
    String name();

    /** One line saying what the stage does, for {@code coea --help}. */
    String summary();

    /** The stage's own options (the common ones are added by the dispatcher). */
    List<ConfigOption<?>> options();

    /**
     * Runs the stage and writes its metrics to {@code <warehouse>/_metrics/<stage>.json}.
     *
     * @throws IllegalArgumentException for bad options or inputs, with a message naming them
     * @throws IllegalStateException when the data fails a check (e.g. the reject rate)
     */
    StageMetrics run(SparkSession spark, Configuration conf);
}
