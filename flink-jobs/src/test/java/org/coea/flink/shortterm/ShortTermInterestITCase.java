package org.coea.flink.shortterm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.UserState;
import org.coea.flink.StreamOptions;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.flink.deadletter.DeadLetterJson;
import org.coea.flink.testutils.ClickData;
import org.coea.flink.testutils.EmbeddedKafka;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short-term interest job from Kafka to Kafka and the user store, on a MiniCluster with
 * parallelism 2 and an in-process broker: the sets match the batch rule, every reject is in the
 * dead-letter topic, and a failure mid-stream loses and duplicates no update.
 */
class ShortTermInterestITCase {
    private static final int N = 5;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path tmp;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ShortTermInterestJob.Settings settings(
            String prefix, ClickData data, Duration checkpoints, Optional<StoreSettings> store) {
        StreamOptions stream =
                new StreamOptions(
                        kafka.bootstrapServers(),
                        checkpoints,
                        2,
                        3,
                        Duration.ofMillis(200),
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(5));
        return new ShortTermInterestJob.Settings(
                stream,
                prefix + "-clicks",
                prefix + "-short-term-interests",
                prefix + "-dead-letter",
                N,
                Duration.ofDays(30),
                data.items(),
                prefix + "-group",
                prefix + "-tx",
                true,
                store,
                Optional.empty());
    }

    private static void run(
            ShortTermInterestJob.Settings s,
            UnaryOperator<org.apache.flink.streaming.api.datastream.DataStream<String>> tap)
            throws Exception {
        StreamExecutionEnvironment env = s.stream().environment();
        ShortTermInterestJob.wire(env, s, tap);
        env.execute("test-" + s.clicksTopic());
    }

    private static Map<Long, List<ShortTermUpdate>> updatesByUser(String topic) {
        Map<Long, List<ShortTermUpdate>> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : kafka.readCommitted(topic)) {
            ShortTermUpdate u = ShortTermUpdate.parse(r.value());
            assertThat(r.key()).isEqualTo(Long.toString(u.userId()));
            out.computeIfAbsent(u.userId(), k -> new ArrayList<>()).add(u);
        }
        return out;
    }

    @Test
    void setsMatchTheBatchRuleAndEveryRejectIsADeadLetter() throws Exception {
        ClickData data = new ClickData(30, 1500, 120, 11);
        String p = "plain";
        kafka.createTopics(2, p + "-clicks", p + "-short-term-interests", p + "-dead-letter");
        List<Map.Entry<String, String>> records = data.records();
        kafka.produce(p + "-clicks", records);
        StoreSettings store = StoreSettings.rocksDb(tmp.resolve("store"));
        try (OpenedStores stores = OpenedStores.open(store)) {
            stores.userStore().putDefaultCsid(GroupCsid.of(0, 0, 0));
            stores.userStore().put("1", UserState.of(GroupCsid.of(4, 2, 1), List.of(9)));
        }

        run(
                settings(p, data, Duration.ofMillis(500), Optional.of(store)),
                UnaryOperator.identity());

        Map<Long, List<ShortTermUpdate>> expected = data.expectedUpdates(N);
        Map<Long, List<ShortTermUpdate>> actual = updatesByUser(p + "-short-term-interests");
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Long user : expected.keySet()) {
            assertThat(actual.get(user))
                    .as("updates of user %d", user)
                    .isEqualTo(expected.get(user));
        }

        List<DeadLetter> dead =
                kafka.readCommitted(p + "-dead-letter").stream()
                        .map(r -> DeadLetterJson.parse(r.value()))
                        .toList();
        assertThat(dead).hasSize(ClickData.BAD.size());
        for (DeadLetter d : dead) {
            assertThat(d.sourceTopic()).isEqualTo(p + "-clicks");
            String raw =
                    ClickData.BAD.keySet().stream()
                            .filter(b -> b.replace(" ", "").equals(d.rawRecord().replace(" ", "")))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("unexpected dead letter " + d));
            assertThat(d.reason()).as(raw).startsWith(ClickData.BAD.get(raw));
        }
        assertThat(data.good().size() + dead.size())
                .as("in = accepted + rejected")
                .isEqualTo(records.size());

        try (OpenedStores stores = OpenedStores.open(store)) {
            for (Map.Entry<Long, List<ShortTermUpdate>> e : expected.entrySet()) {
                ShortTermUpdate last = e.getValue().get(e.getValue().size() - 1);
                UserState state = stores.userStore().get(Long.toString(e.getKey())).orElseThrow();
                assertThat(state.shortTermSet())
                        .as("stored set of user %d", e.getKey())
                        .containsExactlyElementsOf(Arrays.stream(last.set()).boxed().toList());
                assertThat(state.csid())
                        .isEqualTo(e.getKey() == 1 ? GroupCsid.of(4, 2, 1) : GroupCsid.of(0, 0, 0));
            }
        }
    }

    @Test
    void aFailureMidStreamNeitherLosesNorDuplicatesAnUpdate() throws Exception {
        ClickData data = new ClickData(20, 3000, 0, 5);
        String p = "failing";
        kafka.createTopics(2, p + "-clicks", p + "-short-term-interests", p + "-dead-letter");
        kafka.produce(p + "-clicks", data.records());
        FailOnce.FAILED.set(false);

        run(
                settings(p, data, Duration.ofMillis(200), Optional.empty()),
                s -> s.map(new FailOnce(600)).name("fail-once"));

        assertThat(FailOnce.FAILED.get()).as("the failure was injected").isTrue();
        Map<Long, List<ShortTermUpdate>> expected = data.expectedUpdates(N);
        Map<Long, List<ShortTermUpdate>> actual = updatesByUser(p + "-short-term-interests");
        int total = 0;
        for (Long user : expected.keySet()) {
            assertThat(actual.get(user))
                    .as("updates of user %d after a restart", user)
                    .isEqualTo(expected.get(user));
            total += expected.get(user).size();
        }
        assertThat(actual.values().stream().mapToInt(List::size).sum()).isEqualTo(total);
        assertThat(kafka.readCommitted(p + "-dead-letter")).hasSize(ClickData.BAD.size());
    }

    /**
     * Passes records through, slowly enough to span several checkpoints, and throws once: after
     * {@code after} records of a subtask and a completed checkpoint, so the restart resumes from a
     * checkpoint with output already committed.
     */
    static final class FailOnce extends RichMapFunction<String, String>
            implements CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private final int after;
        private transient int seen;
        private transient boolean checkpointed;

        FailOnce(int after) {
            this.after = after;
        }

        @Override
        public void open(OpenContext openContext) {
            seen = 0;
            checkpointed = false;
        }

        @Override
        public String map(String value) throws Exception {
            Thread.sleep(1);
            if (++seen >= after && checkpointed && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
