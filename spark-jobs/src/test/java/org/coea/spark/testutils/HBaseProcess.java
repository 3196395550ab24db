package org.coea.spark.testutils;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.coea.stores.StoreSettings;

/**
 * An HBase mini cluster in a child JVM ({@code org.coea.stores.testutils.HBaseMiniServer} on the
 * stores module's test classpath). The mini cluster cannot run inside a Spark test JVM: the only
 * mini cluster that resolves here, {@code hbase-testing-util} 2.6.4, brings Hadoop 2.10 ({@code
 * hadoop-common}, {@code hadoop-hdfs}) whose classes share names with Spark's Hadoop 3.5 client
 * jars, and {@code hbase-shaded-testing-util} (the Hadoop 3 build) is not in the local repository.
 * The Spark side talks to it through {@code hbase-shaded-client}, as in production.
 */
public final class HBaseProcess implements AutoCloseable {
    private static final String READY = "HBASE_MINI_READY";

    private final Process process;
    private final int clientPort;
    private final String znodeParent;
    private final Path log;

    private HBaseProcess(Process process, int clientPort, String znodeParent, Path log) {
        this.process = process;
        this.clientPort = clientPort;
        this.znodeParent = znodeParent;
        this.log = log;
    }

    /**
     * Starts the cluster and waits until it serves (about 10-20 s).
     *
     * @param stores the stores module directory, with {@code target/classes}, {@code
     *     target/test-classes} and {@code target/bench-classpath.txt} (its {@code mvn package})
     * @param logFile where the child's output goes
     */
    public static HBaseProcess start(Path stores, Path logFile) throws Exception {
        Path cpFile = stores.resolve("target/bench-classpath.txt");
        if (!Files.exists(cpFile) || !Files.isDirectory(stores.resolve("target/test-classes"))) {
            throw new IllegalStateException(
                    "no "
                            + cpFile
                            + " or stores test classes: build the stores module first (mvn -pl spark-jobs -am verify)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(
                List.of(
                        "-Xmx1g",
                        "-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true",
                        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                        "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.dns=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                        "-Dtest.build.data.basedirectory="
                                + logFile.getParent().resolve("hbase-data").toAbsolutePath()
                                + File.separator,
                        "-cp",
                        stores.resolve("target/test-classes").toAbsolutePath()
                                + File.pathSeparator
                                + stores.resolve("target/classes").toAbsolutePath()
                                + File.pathSeparator
                                + Files.readString(cpFile).trim(),
                        "org.coea.stores.testutils.HBaseMiniServer"));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.PIPE)
                        .start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread copier =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            p.getInputStream(),
                                                            StandardCharsets.UTF_8));
                                    BufferedWriter w = Files.newBufferedWriter(logFile)) {
                                String line;
                                while ((line = out.readLine()) != null) {
                                    w.write(line);
                                    w.newLine();
                                    w.flush();
                                    if (line.startsWith(READY)) {
                                        ready.complete(line);
                                    }
                                }
                            } catch (IOException e) {
                                // the child ended
                            } finally {
                                ready.complete(null);
                            }
                        },
                        "hbase-mini-output");
        copier.setDaemon(true);
        copier.start();
        String line;
        try {
            line = ready.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "the HBase mini cluster did not start in 180 s; see " + logFile, e);
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "the HBase mini cluster exited before it was ready: "
                            + Files.readString(logFile));
        }
        String[] parts = line.split(" ");
        return new HBaseProcess(p, Integer.parseInt(parts[1]), parts[2], logFile);
    }

    /** Store settings that reach this cluster, with the given tables. */
    public StoreSettings settings(String noveltyTable, String userTable) {
        return StoreSettings.hbase("localhost")
                .withClientPort(clientPort)
                .withZnodeParent(znodeParent)
                .withTables(noveltyTable, userTable)
                .withHBaseProperties(
                        java.util.Map.of(
                                "hbase.client.retries.number", "5",
                                "hbase.client.pause", "200"));
    }

    /** Where the child's start-up output went. */
    public Path log() {
        return log;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
