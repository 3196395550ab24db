package org.coea.spark.testutils;

import org.apache.spark.sql.SparkSession;

/** One Spark {@code local[2]} session shared by the integration tests of a JVM. */
public final class SparkTestSession {
    private static SparkSession spark;

    private SparkTestSession() {}

    /** The shared session, started on first use. */
    public static synchronized SparkSession get() {
        if (spark == null || spark.sparkContext().isStopped()) {
            spark =
                    SparkSession.builder()
                            .master("local[2]")
                            .appName("coea-it")
                            .config("spark.ui.enabled", "false")
                            .config("spark.sql.shuffle.partitions", "4")
                            .config("spark.sql.session.timeZone", "UTC")
                            .config("spark.driver.host", "127.0.0.1")
                            .config("spark.driver.bindAddress", "127.0.0.1")
                            .getOrCreate();
        }
        return spark;
    }
}
