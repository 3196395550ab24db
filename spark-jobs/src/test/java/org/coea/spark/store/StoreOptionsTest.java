package org.coea.spark.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.spark.CommonOptions;
import org.coea.stores.StoreSettings;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {
    private static StoreOptions resolve(Map<String, String> given) {
        List<ConfigOption<?>> known = new ArrayList<>(StoreOptions.OPTIONS);
        known.add(CommonOptions.WAREHOUSE);
        return StoreOptions.from(Configuration.resolve(known, given, Optional.empty()));
    }

    @Test
    void rocksDbLivesUnderTheWarehouseUnlessAPathIsGiven() {
        StoreSettings s = resolve(Map.of("warehouse", "/data/w")).settings();
        assertThat(s.kind()).isEqualTo(StoreSettings.Kind.ROCKSDB);
        assertThat(s.rocksDbPath()).isEqualTo(Path.of("/data/w/store/rocksdb").toString());
        assertThat(resolve(Map.of("warehouse", "file:/data/w")).settings().rocksDbPath())
                .isEqualTo("/data/w/store/rocksdb");
        assertThat(
                        resolve(Map.of("warehouse", "hdfs://nn/w", "store.path", "/local/db"))
                                .settings()
                                .rocksDbPath())
                .isEqualTo("/local/db");
        assertThatThrownBy(() -> resolve(Map.of("warehouse", "hdfs://nn/w")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not local: set --store.path");
        assertThatThrownBy(() -> resolve(Map.of("store.path", "s3a://b/db")))
                .hasMessageContaining("store.path must be a local directory");
    }

    @Test
    void hbaseNeedsAQuorumAndTakesItsSettings() {
        assertThatThrownBy(() -> resolve(Map.of("store.kind", "hbase")))
                .hasMessageContaining("--store.hbase.quorum");
        StoreSettings s =
                resolve(
                                Map.of(
                                        "store.kind", "hbase",
                                        "store.hbase.quorum", "zk1,zk2",
                                        "store.hbase.client-port", "2281",
                                        "store.hbase.znode-parent", "/hb",
                                        "store.hbase.properties",
                                                "hbase.client.retries.number=5, hbase.rpc.timeout=9000",
                                        "store.novelty-table", "n",
                                        "store.user-table", "u",
                                        "store.batch-size", "50",
                                        "store.retain-versions", "3"))
                        .settings();
        assertThat(s)
                .isEqualTo(
                        StoreSettings.hbase("zk1,zk2")
                                .withClientPort(2281)
                                .withZnodeParent("/hb")
                                .withHBaseProperties(
                                        Map.of(
                                                "hbase.client.retries.number", "5",
                                                "hbase.rpc.timeout", "9000"))
                                .withTables("n", "u")
                                .withBatchSize(50)
                                .withRetainVersions(3));
        assertThatThrownBy(
                        () ->
                                resolve(
                                        Map.of(
                                                "store.kind", "hbase",
                                                "store.hbase.quorum", "zk",
                                                "store.retain-versions", "1")))
                .hasMessageContaining("store options: retain versions must be >= 2");
        assertThatThrownBy(
                        () ->
                                resolve(
                                        Map.of(
                                                "store.kind", "hbase",
                                                "store.hbase.quorum", "zk",
                                                "store.hbase.properties", "oops")))
                .hasMessageContaining("expects key=value pairs, got 'oops'");
    }
}
