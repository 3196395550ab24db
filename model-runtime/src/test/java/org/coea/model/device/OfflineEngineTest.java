package org.coea.model.device;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine starts with no network: a fresh JVM with {@code -Dai.djl.offline=true} and an empty
 * cache directory unpacks the PyTorch natives from the Maven jar and computes.
 */
class OfflineEngineTest {
    @TempDir Path tmp;

    /** The child process: a small computation, printed. */
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            System.out.println(
                    "engine="
                            + m.getEngine().getEngineName()
                            + " sum="
                            + x.mul(x).sum().getFloat());
        }
    }

    @Test
    void engineRunsOfflineFromAnEmptyCache() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("empty-cache"));
        assertThat(cache.toFile().list()).isEmpty();
        ProcessBuilder pb =
                new ProcessBuilder(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                OfflineEngineTest.class.getName()));
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        pb.environment().remove("PYTORCH_VERSION");
        pb.environment().remove("PYTORCH_FLAVOR");
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("engine=PyTorch", "sum=14.0");
        try (var files = Files.walk(cache)) {
            assertThat(files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch")))
                    .as("natives unpacked into the empty cache")
                    .isTrue();
        }
    }
}
