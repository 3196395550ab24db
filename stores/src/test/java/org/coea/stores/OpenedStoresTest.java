package org.coea.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreSettings} validation and {@link OpenedStores} on RocksDB. */
class OpenedStoresTest {
    @TempDir Path dir;

    @Test
    void rocksDbStoresWrittenThroughOneOpeningAreReadThroughTheNext() {
        StoreSettings settings = StoreSettings.rocksDb(dir.resolve("db")).withBatchSize(2);
        GroupCsid csid = GroupCsid.of(3, 14);
        NoveltyKey key = NoveltyKey.of(csid, Set.of(1, 2));
        NoveltyEntry entry =
                new NoveltyEntry(
                        List.of(new NovelCategory(7, 0.9), new NovelCategory(4, 0.5)), "m1");
        try (OpenedStores stores = OpenedStores.open(settings)) {
            assertThat(stores.settings()).isEqualTo(settings);
            try (NoveltyStore.CycleWriter w = stores.noveltyStore().beginCycle(1)) {
                w.put(key, entry);
                w.commit();
            }
            stores.userStore().putAll(Map.of("42", UserState.of(csid, Set.of(2, 1))));
            stores.userStore().putDefaultCsid(csid);
        }
        try (OpenedStores stores = OpenedStores.open(settings)) {
            assertThat(stores.noveltyStore().currentVersion()).hasValue(1);
            assertThat(stores.noveltyStore().get(key)).contains(entry);
            assertThat(stores.userStore().get("42")).contains(UserState.of(csid, Set.of(1, 2)));
            assertThat(stores.userStore().defaultCsid()).contains(csid);
        }
    }

    @Test
    void settingsRefuseWhatCannotBeOpened() {
        StoreSettings ok = StoreSettings.rocksDb(dir);
        assertThatThrownBy(() -> StoreSettings.rocksDb(Path.of("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a directory");
        assertThatThrownBy(() -> StoreSettings.rocksDb(Path.of("hdfs://nn/store")))
                .hasMessageContaining("must be a local path");
        assertThatThrownBy(() -> StoreSettings.hbase(" "))
                .hasMessageContaining("needs a ZooKeeper quorum");
        assertThatThrownBy(() -> ok.withRetainVersions(1)).hasMessageContaining("retain versions");
        assertThatThrownBy(() -> ok.withBatchSize(0)).hasMessageContaining("batch size");
        assertThatThrownBy(() -> ok.withClientPort(0)).hasMessageContaining("client port");
        assertThatThrownBy(() -> ok.withZnodeParent("hbase")).hasMessageContaining("znode");
        assertThatThrownBy(() -> ok.withTables("a", "a")).hasMessageContaining("must differ");
        assertThatThrownBy(() -> ok.withTables("bad table", "u"))
                .hasMessageContaining("not an HBase table name 'bad table'");
        assertThatThrownBy(() -> ok.withHBaseProperties(Map.of("fs.defaultFS", "x")))
                .hasMessageContaining("'fs.defaultFS' must start with hbase.");
    }

    @Test
    void hbaseSettingsBecomeTheClientConfiguration() throws Exception {
        StoreSettings s =
                StoreSettings.hbase("zk1,zk2")
                        .withClientPort(2281)
                        .withZnodeParent("/hbase-unsecure")
                        .withHBaseProperties(Map.of("hbase.client.retries.number", "3"));
        org.apache.hadoop.conf.Configuration conf = OpenedStores.hbaseConfiguration(s);
        assertThat(conf.get("hbase.zookeeper.quorum")).isEqualTo("zk1,zk2");
        assertThat(conf.get("hbase.zookeeper.property.clientPort")).isEqualTo("2281");
        assertThat(conf.get("zookeeper.znode.parent")).isEqualTo("/hbase-unsecure");
        assertThat(conf.get("hbase.client.retries.number")).isEqualTo("3");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).as("settings survive Java serialization").isEqualTo(s);
        }
    }
}
