package org.coea.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCsidTest {

    @Test
    void rendersFixedWidthAndParsesBack() {
        GroupCsid csid = GroupCsid.of(3, 14, 7);
        assertThat(csid.toString()).isEqualTo("003-014-007");
        assertThat(GroupCsid.parse("003-014-007")).isEqualTo(csid);
        assertThat(GroupCsid.of(0).toString()).isEqualTo("000");
        assertThat(GroupCsid.of(999, 63).toString()).hasSize(7);
    }

    @Test
    void rejectsBadCodesAndText() {
        assertThatThrownBy(() -> GroupCsid.of()).hasMessageContaining("at least one code");
        assertThatThrownBy(() -> GroupCsid.of(1, 1000)).hasMessageContaining("1000");
        assertThatThrownBy(() -> GroupCsid.parse("3-14-7")).hasMessageContaining("3-14-7");
        assertThatThrownBy(() -> GroupCsid.parse("003-0a4")).hasMessageContaining("003-0a4");
    }

    @Test
    void ordersByCodes() {
        assertThat(GroupCsid.of(1, 2)).isLessThan(GroupCsid.of(1, 3));
        assertThat(GroupCsid.of(2, 0)).isGreaterThan(GroupCsid.of(1, 9));
    }

    @Test
    void shortTermKeyJoinsCsidAndSetHash() {
        assertThat(ShortTermKey.of(GroupCsid.of(3, 14, 7), List.of(14, 7, 3)))
                .isEqualTo("003-014-007:e17121f8dd9c6fa0");
    }

    @Test
    void categoryIndexNumbersSortedNames() {
        CategoryIndex index = CategoryIndex.of(List.of("War", "Action", "Comedy", "Action"));
        assertThat(index.names()).containsExactly("Action", "Comedy", "War");
        assertThat(index.id("War")).isEqualTo(2);
        assertThatThrownBy(() -> index.id("Drama")).hasMessageContaining("Drama");
    }
}
