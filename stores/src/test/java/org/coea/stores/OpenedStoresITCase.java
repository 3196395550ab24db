package org.coea.stores;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyRetriever;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserState;
import org.coea.stores.testutils.HBaseMini;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link OpenedStores} on an HBase mini cluster, reached through settings only. */
class OpenedStoresITCase {
    private static HBaseMini hbase;

    @BeforeAll
    static void startHBase() throws Exception {
        hbase = HBaseMini.start();
    }

    @AfterAll
    static void stopHBase() throws Exception {
        if (hbase != null) {
            hbase.close();
        }
    }

    @Test
    void openingCreatesTheTablesAndASecondOpeningReadsWhatTheFirstWrote() throws Exception {
        StoreSettings settings =
                StoreSettings.hbase("localhost")
                        .withClientPort(hbase.clientPort())
                        .withZnodeParent(hbase.znodeParent())
                        .withTables("opened_novelty", "opened_users")
                        .withRetainVersions(3)
                        .withHBaseProperties(Map.of("hbase.client.retries.number", "5"));
        GroupCsid csid = GroupCsid.of(1, 2, 3);
        NoveltyKey key = NoveltyKey.of(csid, Set.of(5, 6));
        NoveltyEntry entry =
                new NoveltyEntry(
                        List.of(new NovelCategory(9, 2.0), new NovelCategory(1, 1.0)), "m");
        try (OpenedStores stores = OpenedStores.open(settings)) {
            try (NoveltyStore.CycleWriter w = stores.noveltyStore().beginCycle(7)) {
                w.put(key, entry);
                w.commit();
            }
            stores.userStore().putAll(Map.of("u1", UserState.of(csid, Set.of(5, 6))));
            stores.userStore().putDefaultCsid(csid);
        }
        try (Admin admin = hbase.connection().getAdmin()) {
            assertThat(admin.tableExists(TableName.valueOf("opened_novelty"))).isTrue();
            assertThat(admin.tableExists(TableName.valueOf("opened_users"))).isTrue();
        }
        try (OpenedStores stores = OpenedStores.open(settings)) {
            assertThat(stores.noveltyStore().currentVersion()).hasValue(7);
            NoveltyRetriever.Answer known =
                    new NoveltyRetriever(stores.noveltyStore(), stores.userStore()).retrieve("u1");
            assertThat(known.coldStart()).isFalse();
            assertThat(known.key()).contains(key);
            assertThat(known.categories()).isEqualTo(entry.categories());
            NoveltyRetriever.Answer cold =
                    new NoveltyRetriever(stores.noveltyStore(), stores.userStore())
                            .retrieve("nobody", Set.of(6, 5));
            assertThat(cold.coldStart()).isTrue();
            assertThat(cold.csid()).contains(csid);
            assertThat(cold.modelVersion()).isEqualTo("m");
        }
    }
}
