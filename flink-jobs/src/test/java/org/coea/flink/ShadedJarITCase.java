package org.coea.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.UserState;
import org.coea.flink.shortterm.ShortTermUpdate;
import org.coea.flink.testutils.EmbeddedKafka;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar the way {@code flink run} does: a fresh JVM whose classpath is Flink's jars
 * (the provided scope, {@code target/classpath.txt}) plus the application jar, here on Flink's
 * local environment, against an in-process broker of the test JVM and a RocksDB store.
 */
class ShadedJarITCase {
    @TempDir Path tmp;

    @Test
    void shadedJarRunsTheShortTermJobFromKafkaToKafkaAndTheStore() throws Exception {
        Path target = Path.of("target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar =
                    files.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .matches(
                                                            "coea-flink-jobs-[^-]+(-SNAPSHOT)?\\.jar"))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no shaded jar in target/ (run mvn verify)"));
        }
        String flinkClasspath = Files.readString(target.resolve("classpath.txt")).trim();
        assertThat(flinkClasspath)
                .doesNotContain("coea-common", "flink-connector-kafka", "rocksdbjni");

        Path items = tmp.resolve("items.jsonl");
        Files.writeString(
                items,
                "{\"item\": 1, \"categories\": [\"Comedy\", \"Drama\"]}\n"
                        + "{\"item\": 2, \"categories\": [\"Action\"]}\n"
                        + "not an item\n");
        Path storeDir = tmp.resolve("store");
        try (OpenedStores stores = OpenedStores.open(StoreSettings.rocksDb(storeDir))) {
            stores.userStore().putDefaultCsid(GroupCsid.of(1, 2));
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(1, "clicks", "short-term-interests", "dead-letter");
            List<Map.Entry<String, String>> records = new ArrayList<>();
            records.add(
                    new AbstractMap.SimpleEntry<>("5", "{\"user\": 5, \"item\": 1, \"ts\": 100}"));
            records.add(
                    new AbstractMap.SimpleEntry<>("5", "{\"user\": 5, \"item\": 2, \"ts\": 200}"));
            records.add(
                    new AbstractMap.SimpleEntry<>("5", "{\"user\": 5, \"item\": 3, \"ts\": 300}"));
            kafka.produce("clicks", records);

            List<String> cmd =
                    List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-Xmx1g",
                            "-cp",
                            jar.toAbsolutePath() + File.pathSeparator + flinkClasspath,
                            "org.coea.flink.CoeaFlink",
                            "short-term-interest",
                            "--kafka.bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--kafka.bounded",
                            "true",
                            "--items.path",
                            items.toString(),
                            "--store.path",
                            storeDir.toString(),
                            "--checkpoint.interval-ms",
                            "500",
                            "--parallelism",
                            "1");
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(tmp.resolve("out.txt").toFile())
                            .start();
            boolean finished = p.waitFor(3, TimeUnit.MINUTES);
            String output = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
            if (!finished) {
                p.destroyForcibly();
            }
            assertThat(finished).as("finished in 3 minutes: %s", output).isTrue();
            assertThat(p.exitValue()).as(output).isZero();

            List<ShortTermUpdate> updates =
                    kafka.readCommitted("short-term-interests").stream()
                            .map(r -> ShortTermUpdate.parse(r.value()))
                            .toList();
            // ids: Action 0, Comedy 1, Drama 2
            assertThat(updates)
                    .extracting(u -> java.util.Arrays.toString(u.set()))
                    .containsExactly("[1, 2]", "[0, 1, 2]");
            assertThat(kafka.readCommitted("dead-letter"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).contains("unknown item 3"));
        }
        try (OpenedStores stores = OpenedStores.open(StoreSettings.rocksDb(storeDir))) {
            assertThat(stores.userStore().get("5"))
                    .contains(UserState.of(GroupCsid.of(1, 2), List.of(0, 1, 2)));
        }
    }
}
