package org.coea.spark.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.coea.common.config.CommandLine;
import org.coea.common.config.Configuration;
import org.coea.spark.CoeaSpark;
import org.coea.stores.hbase.HBaseLayout;
import org.junit.jupiter.api.Test;

/** The options of {@code coea hbase-init} and the layout they describe, without HBase. */
class HBaseInitCommandTest {
    private static Configuration conf(String... args) {
        return CommandLine.parse(args, HBaseInitCommand.options())
                .resolve(HBaseInitCommand.options());
    }

    @Test
    void defaultsSplitTheNoveltyTableAtSixteenCodesAndUsersAtDigits() {
        HBaseLayout l = HBaseInitCommand.layout(conf("--store.hbase.quorum", "zk"));
        assertThat(l.noveltyTable().getNameAsString()).isEqualTo("coea_novelty");
        assertThat(l.userTable().getNameAsString()).isEqualTo("coea_users");
        assertThat(l.noveltySplits()).hasSize(15).startsWith("001", "002").endsWith("015");
        assertThat(l.userSplits()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(l.noveltyTtl()).isEqualTo(Duration.ZERO);
    }

    @Test
    void namespacedTablesTtlAndNoSplits() {
        HBaseLayout l =
                HBaseInitCommand.layout(
                        conf(
                                "--store.novelty-table", "coea:novelty",
                                "--store.user-table", "coea:users",
                                "--hbase-init.novelty-regions", "1",
                                "--hbase-init.user-splits", "",
                                "--hbase-init.novelty-ttl-days", "7"));
        assertThat(l.noveltyTable().getNamespaceAsString()).isEqualTo("coea");
        assertThat(l.noveltySplits()).isEmpty();
        assertThat(l.userSplits()).isEmpty();
        assertThat(l.noveltyTtl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void wrongOptionsAreNamed() {
        assertThatThrownBy(() -> HBaseInitCommand.layout(conf("--hbase-init.user-splits", "5,3")))
                .hasMessageContaining("strictly ascending");
        assertThatThrownBy(() -> HBaseInitCommand.layout(conf("--hbase-init.novelty-regions", "0")))
                .hasMessageContaining("novelty regions must be in 1..1000");
        assertThatThrownBy(
                        () -> HBaseInitCommand.layout(conf("--hbase-init.novelty-ttl-days", "-1")))
                .hasMessageContaining("hbase-init.novelty-ttl-days must be >= 0");
        assertThatThrownBy(() -> HBaseInitCommand.settings(conf()))
                .hasMessageContaining("--store.hbase.quorum is required");
        assertThat(HBaseLayout.csidCodeSplits(3)).isEqualTo(List.of("001", "002"));
    }

    @Test
    void missingQuorumIsAUsageErrorAndHelpListsTheOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(CoeaSpark.execute(new String[] {"hbase-init"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--store.hbase.quorum is required");
        assertThat(CoeaSpark.execute(new String[] {"hbase-init", "--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "usage: coea hbase-init",
                        "--hbase-init.novelty-regions",
                        "--store.hbase.quorum");
    }
}
