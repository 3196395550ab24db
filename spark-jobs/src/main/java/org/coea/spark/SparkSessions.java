package org.coea.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.Configuration;

/** Builds the Spark session of a command: embedded {@code local[*]} unless spark-submit set one. */
final class SparkSessions {
    private SparkSessions() {}

    static SparkSession create(String appName, Configuration conf) {
        SparkConf sparkConf = new SparkConf();
        boolean submitted = sparkConf.contains("spark.master");
        if (!submitted || conf.isSet(CommonOptions.SPARK_MASTER)) {
            sparkConf.setMaster(conf.get(CommonOptions.SPARK_MASTER));
        }
        String master = sparkConf.get("spark.master");
        if (master.startsWith("local")) {
            // Embedded: small shuffles, no UI port, quiet.
            int cores = Runtime.getRuntime().availableProcessors();
            sparkConf.setIfMissing(
                    "spark.sql.shuffle.partitions", Integer.toString(Math.max(4, 4 * cores)));
            sparkConf.setIfMissing("spark.ui.enabled", "false");
            sparkConf.setIfMissing("spark.driver.host", "127.0.0.1");
            sparkConf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        sparkConf.setIfMissing("spark.sql.session.timeZone", "UTC");
        sparkConf.setAppName("coea " + appName);
        return SparkSession.builder().config(sparkConf).getOrCreate();
    }
}
