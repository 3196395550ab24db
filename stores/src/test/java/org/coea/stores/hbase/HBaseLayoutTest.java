package org.coea.stores.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.hadoop.hbase.TableName;
import org.junit.jupiter.api.Test;

/** The checks of {@link HBaseLayout} and its CSID-code split points. */
class HBaseLayoutTest {
    static final TableName N = TableName.valueOf("coea:novelty");
    static final TableName U = TableName.valueOf("coea:users");

    @Test
    void csidCodeSplitsAreZeroPaddedFirstLevelCodes() {
        assertThat(HBaseLayout.csidCodeSplits(1)).isEmpty();
        assertThat(HBaseLayout.csidCodeSplits(4)).containsExactly("001", "002", "003");
        assertThat(HBaseLayout.csidCodeSplits(1000)).hasSize(999).endsWith("999");
        assertThatThrownBy(() -> HBaseLayout.csidCodeSplits(1001)).hasMessageContaining("1..1000");
    }

    @Test
    void invalidLayoutsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new HBaseLayout(N, N, Duration.ZERO, List.of(), List.of()))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> new HBaseLayout(N, U, Duration.ofDays(-1), List.of(), List.of()))
                .hasMessageContaining("TTL must be >= 0");
        assertThatThrownBy(
                        () ->
                                new HBaseLayout(
                                        N, U, Duration.ZERO, List.of("002", "001"), List.of()))
                .hasMessageContaining("novelty split keys must be strictly ascending");
        assertThatThrownBy(() -> new HBaseLayout(N, U, Duration.ZERO, List.of(), List.of("")))
                .hasMessageContaining("empty user split key");
    }
}
