package org.coea.spark.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Moves model directories between a local folder and the warehouse ({@code <warehouse>/models/...},
 * local, HDFS or S3): the driver publishes what it trained; each executor JVM fetches a model once
 * and keeps the local copy for every later task.
 */
public final class ModelFiles {
    private static final Map<String, Path> FETCHED = new ConcurrentHashMap<>();

    private ModelFiles() {}

    /** Replaces {@code target} (a warehouse path) with the contents of a local directory. */
    public static void publish(Path local, String target, Configuration conf) {
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
        try {
            FileSystem fs = dst.getFileSystem(conf);
            org.apache.hadoop.fs.Path tmp =
                    new org.apache.hadoop.fs.Path(dst.getParent(), "." + dst.getName() + ".tmp");
            fs.delete(tmp, true);
            fs.mkdirs(tmp);
            try (var files = Files.list(local)) {
                for (Path f : files.toList()) {
                    fs.copyFromLocalFile(
                            false,
                            true,
                            new org.apache.hadoop.fs.Path(f.toUri()),
                            new org.apache.hadoop.fs.Path(tmp, f.getFileName().toString()));
                }
            }
            fs.delete(dst, true);
            if (!fs.rename(tmp, dst)) {
                throw new IOException("cannot rename " + tmp + " to " + dst);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish model " + local + " to " + target, e);
        }
    }

    /** A local copy of a warehouse model directory, fetched once per JVM. */
    public static Path fetch(String source, Configuration conf) {
        return FETCHED.computeIfAbsent(
                source,
                s -> {
                    org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(s);
                    try {
                        FileSystem fs = src.getFileSystem(conf);
                        if (!fs.exists(src)) {
                            throw new IllegalStateException("model directory missing: " + s);
                        }
                        Path local = Files.createTempDirectory("coea-model-");
                        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(src)) {
                            fs.copyToLocalFile(
                                    false,
                                    st.getPath(),
                                    new org.apache.hadoop.fs.Path(
                                            local.resolve(st.getPath().getName()).toUri()),
                                    true);
                        }
                        return local;
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot fetch model " + s, e);
                    }
                });
    }
}
