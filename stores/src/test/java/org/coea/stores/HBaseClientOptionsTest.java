package org.coea.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.coea.common.config.CommandLine;
import org.coea.common.config.Configuration;
import org.junit.jupiter.api.Test;

/** The shared HBase client options: parsing, the required quorum, and what they set. */
class HBaseClientOptionsTest {
    static Configuration conf(String... args) {
        return CommandLine.parse(args, HBaseClientOptions.OPTIONS)
                .resolve(HBaseClientOptions.OPTIONS);
    }

    @Test
    void optionsApplyToTheSettings() {
        Configuration c =
                conf(
                        "--store.hbase.quorum", "zk1,zk2",
                        "--store.hbase.client-port", "2182",
                        "--store.hbase.properties", " hbase.rpc.timeout = 5000 ,zookeeper.x=y",
                        "--store.novelty-table", "coea:novelty");
        StoreSettings s =
                HBaseClientOptions.apply(
                        StoreSettings.hbase(HBaseClientOptions.quorum(c, "test")), c);
        assertThat(s.hbaseQuorum()).isEqualTo("zk1,zk2");
        assertThat(s.hbaseClientPort()).isEqualTo(2182);
        assertThat(s.hbaseZnodeParent()).isEqualTo(StoreSettings.DEFAULT_ZNODE_PARENT);
        assertThat(s.hbaseProperties())
                .isEqualTo(Map.of("hbase.rpc.timeout", "5000", "zookeeper.x", "y"));
        assertThat(s.noveltyTable()).isEqualTo("coea:novelty");
        assertThat(s.userTable()).isEqualTo("coea_users");
    }

    @Test
    void aMissingQuorumOrABadPairIsNamed() {
        assertThatThrownBy(() -> HBaseClientOptions.quorum(conf(), "store.kind=hbase"))
                .hasMessageContaining("--store.hbase.quorum is required")
                .hasMessageContaining("store.kind=hbase");
        assertThatThrownBy(() -> HBaseClientOptions.properties("a=b,oops"))
                .hasMessageContaining("store.hbase.properties")
                .hasMessageContaining("'oops'");
        assertThat(HBaseClientOptions.properties("")).isEmpty();
    }
}
