package org.coea.flink.shortterm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coea.common.ingest.MovieLensFormat;
import org.coea.common.ingest.MovieLensParsers;
import org.coea.common.ingest.Parsed;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.ClickRecord;
import org.coea.common.replay.ClickReplay;
import org.coea.common.sequence.SequenceRules;
import org.coea.common.split.PerUserSplit;
import org.coea.flink.StreamOptions;
import org.coea.flink.clicks.ClickJson;
import org.coea.flink.items.ItemCategories;
import org.coea.flink.testutils.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch and streaming short-term sets agree on the MovieLens-1M test window: the test clicks of
 * the per-user split (test 0.2, validation 0.1, the batch defaults) replayed through Kafka into the
 * job give, per user, the last set that the batch rule ({@link SequenceRules}, n = 10) computes
 * from the same clicks. Skipped where {@code ../shared/data/movielens-1m-pos} is absent.
 */
class MovieLensShortTermITCase {
    private static final int N = 10;

    /** Every {@code USER_STRIDE}-th user (by id) takes part, to keep CI time modest. */
    private static final int USER_STRIDE = 3;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    @Test
    void streamingSetsEqualTheBatchRuleOnTheTestWindow() throws Exception {
        Path dir =
                Path.of(
                        System.getProperty("coea.shared.dir", "../shared"),
                        "data",
                        "movielens-1m-pos");
        assumeTrue(
                Files.exists(dir.resolve("ratings.dat")),
                "skipped: " + dir + "/ratings.dat is absent (set -Dcoea.shared.dir)");
        List<BehaviorEvent> clicks = new ArrayList<>();
        for (String line :
                Files.readAllLines(dir.resolve("ratings.dat"), StandardCharsets.ISO_8859_1)) {
            Parsed<BehaviorEvent> p = MovieLensParsers.rating(MovieLensFormat.ML_1M, line);
            if (p.isOk() && p.value().userId() % USER_STRIDE == 0) {
                clicks.add(p.value());
            }
        }
        List<BehaviorEvent> window = ClickReplay.testWindow(clicks, new PerUserSplit(0.2, 0.1));
        ItemCategories items = ItemCategories.loadMovieLens(dir);

        Map<Long, List<SequenceRules.Click>> byUser = new HashMap<>();
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (BehaviorEvent e : window) {
            int[] cats = items.categoriesOf(e.itemId()).orElseThrow();
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>())
                    .add(new SequenceRules.Click(e.epochSeconds(), e.itemId(), e.strength(), cats));
            records.add(
                    new AbstractMap.SimpleEntry<>(
                            Long.toString(e.userId()),
                            ClickJson.render(
                                    new ClickRecord(
                                            e.userId(), e.itemId(), e.epochSeconds(), null))));
        }
        assertThat(byUser).hasSizeGreaterThan(1000);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(2, "ml-clicks", "ml-short-term-interests", "ml-dead-letter");
            kafka.produce("ml-clicks", records);
            StreamOptions stream =
                    new StreamOptions(
                            kafka.bootstrapServers(),
                            Duration.ofSeconds(2),
                            2,
                            0,
                            Duration.ofSeconds(1),
                            Duration.ofMinutes(10),
                            Duration.ofMinutes(5));
            // no TTL expiry within the window: the batch rule keeps a user's clicks however old
            ShortTermInterestJob.Settings s =
                    new ShortTermInterestJob.Settings(
                            stream,
                            "ml-clicks",
                            "ml-short-term-interests",
                            "ml-dead-letter",
                            N,
                            Duration.ofDays(36_500),
                            items,
                            "ml-group",
                            "ml-tx",
                            true,
                            Optional.empty(),
                            Optional.empty());
            StreamExecutionEnvironment env = stream.environment();
            ShortTermInterestJob.wire(env, s, UnaryOperator.identity());
            env.execute("movielens-short-term");

            Map<Long, ShortTermUpdate> last = new HashMap<>();
            for (ConsumerRecord<String, String> r :
                    kafka.readCommitted("ml-short-term-interests")) {
                ShortTermUpdate u = ShortTermUpdate.parse(r.value());
                last.put(u.userId(), u);
            }
            assertThat(kafka.readCommitted("ml-dead-letter")).isEmpty();
            SequenceRules rules = new SequenceRules(0.0, 200, N, 0);
            assertThat(last.keySet()).containsExactlyInAnyOrderElementsOf(byUser.keySet());
            for (Map.Entry<Long, List<SequenceRules.Click>> e : byUser.entrySet()) {
                SequenceRules.UserSequence batch =
                        rules.build(e.getValue()).sequence().orElseThrow();
                ShortTermUpdate streamed = last.get(e.getKey());
                assertThat(streamed.set())
                        .as("set of user %d", e.getKey())
                        .containsExactly(batch.shortSet());
                assertThat(streamed.hash()).isEqualTo(batch.shortHash());
            }
            System.out.printf(
                    "MovieLens test window: %,d users (one in %d), %,d clicks, sets agree%n",
                    byUser.size(), USER_STRIDE, window.size());
        }
    }
}
