package org.coea.spark;

import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;

/** Options every Spark subcommand takes. */
public final class CommonOptions {
    private CommonOptions() {}

    /** The warehouse root. */
    public static final ConfigOption<String> WAREHOUSE =
            ConfigOptions.key("warehouse")
                    .pathType()
                    .defaultValue("./warehouse")
                    .withDescription(
                            "Warehouse root: a local folder, hdfs:// or s3a:// path holding every table.");

    /** The Spark master used when not launched by spark-submit. */
    public static final ConfigOption<String> SPARK_MASTER =
            ConfigOptions.key("spark.master")
                    .stringType()
                    .defaultValue("local[*]")
                    .withDescription(
                            "Spark master when not set by spark-submit (embedded mode runs local[*]).");

    /** The seed of every random choice of a run. */
    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription(
                            "Seed of every random choice: same inputs and seed, same outputs.");

    /** All of them. */
    public static final List<ConfigOption<?>> ALL = List.of(WAREHOUSE, SPARK_MASTER, SEED);
}
