package org.coea.flink.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserState;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The lookup job on a MiniCluster (parallelism 2) over a real embedded RocksDB store. */
class NoveltyLookupJobITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    @Test
    void answersKnownColdStartAndExplicitSetRequestsAndRejectsBadOnes() throws Exception {
        StoreSettings settings = StoreSettings.rocksDb(tmp.resolve("store"));
        GroupCsid group = GroupCsid.of(3, 14, 7);
        GroupCsid fallback = GroupCsid.of(0, 0, 0);
        try (OpenedStores stores = OpenedStores.open(settings)) {
            stores.userStore().putDefaultCsid(fallback);
            stores.userStore().put("1", UserState.of(group, List.of(2, 5)));
            try (NoveltyStore.CycleWriter w = stores.noveltyStore().beginCycle(1)) {
                w.put(
                        NoveltyKey.of(group, List.of(2, 5)),
                        new NoveltyEntry(
                                List.of(new NovelCategory(8, 0.9), new NovelCategory(5, 0.8)),
                                "v-0001"));
                w.put(
                        NoveltyKey.of(group, List.of(1)),
                        new NoveltyEntry(List.of(new NovelCategory(4, 0.7)), "v-0001"));
                w.put(
                        NoveltyKey.of(fallback, List.of()),
                        new NoveltyEntry(List.of(new NovelCategory(6, 0.6)), "v-0001"));
                w.commit();
            }
        }
        List<String> requests =
                List.of(
                        "{\"user\": 1}",
                        "{\"user\": 1, \"set\": [1]}",
                        "{\"user\": 99}",
                        "{\"user\": 1, \"ts\": 5, \"categories\": [1], \"set\": [1], \"hash\": \"x\"}",
                        "{\"set\": [1]}",
                        "{\"user\": 1, \"set\": [-1]}",
                        "nope");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        NoveltyLookupJob.Outputs out =
                NoveltyLookupJob.build(
                        env.fromData(requests), "requests", settings, 2, 10, 10_000L);
        var answers = out.answers().map(NoveltyAnswers::render).collectAsync();
        var dead = out.deadLetters().map(DeadLetter::reason).collectAsync();
        env.execute("lookup-test");

        List<String> rendered = drain(answers);
        Map<String, Long> byUser =
                rendered.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.substring(0, r.indexOf(',')),
                                        Collectors.counting()));
        assertThat(byUser)
                .containsEntry("{\"user\":\"1\"", 3L)
                .containsEntry("{\"user\":\"99\"", 1L);
        assertThat(rendered)
                .contains(
                        "{\"user\":\"1\",\"csid\":\"003-014-007\",\"cold_start\":false,\"key\":\""
                                + NoveltyKey.of(group, List.of(2, 5))
                                + "\",\"categories\":[{\"id\":8,\"score\":0.9}],\"model_version\":\"v-0001\"}",
                        "{\"user\":\"1\",\"csid\":\"003-014-007\",\"cold_start\":false,\"key\":\""
                                + NoveltyKey.of(group, List.of(1))
                                + "\",\"categories\":[{\"id\":4,\"score\":0.7}],\"model_version\":\"v-0001\"}",
                        "{\"user\":\"99\",\"csid\":\"000-000-000\",\"cold_start\":true,\"key\":\""
                                + NoveltyKey.of(fallback, List.of())
                                + "\",\"categories\":[{\"id\":6,\"score\":0.6}],\"model_version\":\"v-0001\"}");
        assertThat(drain(dead))
                .containsExactlyInAnyOrder(
                        "missing user id",
                        "set of user 1 holds a bad category id -1",
                        "not JSON: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
        assertThat(rendered.size() + 3).as("in = out + rejected").isEqualTo(requests.size());
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> out = new java.util.ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
