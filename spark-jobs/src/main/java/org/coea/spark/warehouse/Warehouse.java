package org.coea.spark.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;

/**
 * The warehouse root (a local folder, {@code hdfs://} or {@code s3a://}) holding one Parquet
 * directory per table and {@code _metrics/<stage>.json} per stage.
 *
 * <p>Stages publish their tables atomically: all tables are first written under {@code
 * _staging/<stage>-<uuid>/}, and only when every write succeeded is each moved into place with a
 * directory rename (atomic on HDFS and local file systems; a copy on S3). Every published table
 * carries Spark's {@code _SUCCESS} marker, and readers refuse a table without it.
 */
public final class Warehouse {
    /** The marker file of a completely written table. */
    public static final String SUCCESS = "_SUCCESS";

    private final SparkSession spark;
    private final Path root;

    /** A warehouse at this root (created on first write). */
    public Warehouse(SparkSession spark, String root) {
        this.spark = spark;
        this.root = new Path(root);
    }

    /** The root path as given. */
    public String root() {
        return root.toString();
    }

    /** The path of a table. */
    public String tablePath(String table) {
        return new Path(root, table).toString();
    }

    /** The directory of a stage's published model: {@code <warehouse>/models/<name>}. */
    public String modelPath(String name) {
        return new Path(new Path(root, "models"), name).toString();
    }

    /** Whether a table has been published. */
    public boolean hasTable(String table) {
        return exists(new Path(new Path(root, table), SUCCESS));
    }

    /**
     * Reads a published table.
     *
     * @throws IllegalStateException naming the table and its path when it is missing or incomplete,
     *     and the stage that writes it
     */
    public Dataset<Row> read(String table, String writtenBy) {
        Path dir = new Path(root, table);
        if (!hasTable(table)) {
            throw new IllegalStateException(
                    "table '"
                            + table
                            + "' is missing or incomplete at "
                            + dir
                            + " (no "
                            + SUCCESS
                            + " marker): run `coea "
                            + writtenBy
                            + " --warehouse "
                            + root
                            + "` first");
        }
        return spark.read().parquet(dir.toString());
    }

    /**
     * Writes tables for a stage and publishes them together; on failure nothing is published.
     *
     * @param stage the stage name, for the staging folder
     * @param tables table name to data, written in this order
     */
    public void publish(String stage, Map<String, Dataset<Row>> tables) {
        Path staging = new Path(new Path(root, "_staging"), stage + "-" + UUID.randomUUID());
        try {
            for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
                t.getValue()
                        .write()
                        .mode(SaveMode.ErrorIfExists)
                        .parquet(new Path(staging, t.getKey()).toString());
            }
            FileSystem fs = fs();
            for (String table : tables.keySet()) {
                Path target = new Path(root, table);
                Path old = new Path(staging, "_replaced-" + table);
                if (fs.exists(target) && !fs.rename(target, old)) {
                    throw new IOException("cannot move " + target + " aside to " + old);
                }
                if (!fs.rename(new Path(staging, table), target)) {
                    throw new IOException("cannot publish " + table + " to " + target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("publishing " + tables.keySet() + " under " + root, e);
        } finally {
            delete(staging);
            deleteIfEmpty(staging.getParent());
        }
    }

    /** Writes a stage's metrics to {@code _metrics/<stage>.json} (temp file, then rename). */
    public void writeMetrics(StageMetrics metrics) {
        Path dir = new Path(root, "_metrics");
        Path target = new Path(dir, metrics.stage() + ".json");
        Path tmp = new Path(dir, "." + metrics.stage() + ".json." + UUID.randomUUID());
        try {
            FileSystem fs = fs();
            fs.mkdirs(dir);
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(metrics.toJson().getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing metrics " + target, e);
        }
    }

    /**
     * Writes a text file under the warehouse root, e.g. {@code report/metrics.json} (temp file,
     * then rename).
     */
    public void writeText(String relative, String text) {
        Path target = new Path(root, relative);
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID());
        try {
            FileSystem fs = fs();
            fs.mkdirs(target.getParent());
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        }
    }

    /** The metrics a stage last wrote, if any. */
    public Optional<Map<String, Object>> readMetrics(String stage) {
        Path file = new Path(new Path(root, "_metrics"), stage + ".json");
        try {
            FileSystem fs = fs();
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(
                        new LinkedHashMap<>(
                                StageMetrics.parseJson(
                                        new String(in.readAllBytes(), StandardCharsets.UTF_8))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading metrics " + file, e);
        }
    }

    private boolean exists(Path p) {
        try {
            return fs().exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + p, e);
        }
    }

    private void delete(Path p) {
        try {
            fs().delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + p, e);
        }
    }

    private void deleteIfEmpty(Path dir) {
        try {
            FileSystem fs = fs();
            if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
                fs.delete(dir, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }

    private FileSystem fs() throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        return root.getFileSystem(conf);
    }
}
