package org.coea.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.coea.common.model.GroupCsid;
import org.coea.common.model.ShortTermKey;
import org.junit.jupiter.api.Test;

class StoreRecordsTest {

    @Test
    void keyRendersLikeShortTermKeyAndParsesBack() {
        GroupCsid csid = GroupCsid.of(3, 14, 7);
        NoveltyKey key = NoveltyKey.of(csid, List.of(5, 2, 5));
        assertThat(key.render()).isEqualTo(ShortTermKey.of(csid, Set.of(2, 5)));
        assertThat(NoveltyKey.parse(key.render())).isEqualTo(key);
        assertThat(NoveltyKey.of(csid, Set.of()).render()).startsWith("003-014-007:");
    }

    @Test
    void malformedKeyNamesTheText() {
        assertThatThrownBy(() -> NoveltyKey.parse("003-014:xyz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'003-014:xyz'");
        assertThatThrownBy(() -> NoveltyKey.parse("3-14:00000000000000ff"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3-14:00000000000000ff");
        assertThatThrownBy(() -> NoveltyKey.parse("003:00000000000000FF"))
                .hasMessageContaining("lower-case");
    }

    @Test
    void entryMustBeRankedDistinctAndVersioned() {
        NovelCategory a = new NovelCategory(1, 0.9);
        NovelCategory b = new NovelCategory(2, 0.5);
        assertThat(new NoveltyEntry(List.of(a, b), "v1").categories()).containsExactly(a, b);
        assertThatThrownBy(() -> new NoveltyEntry(List.of(b, a), "v1"))
                .hasMessageContaining("ranked");
        assertThatThrownBy(() -> new NoveltyEntry(List.of(a, new NovelCategory(1, 0.1)), "v1"))
                .hasMessageContaining("category 1 appears twice");
        assertThatThrownBy(() -> new NoveltyEntry(List.of(a), " "))
                .hasMessageContaining("model version");
        assertThatThrownBy(() -> new NovelCategory(-1, 0.1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new NovelCategory(4, Double.NaN))
                .hasMessageContaining("category 4");
    }

    @Test
    void codecRoundTripsAndNamesTheKeyOfCorruptValues() {
        NoveltyEntry entry =
                new NoveltyEntry(
                        List.of(new NovelCategory(7, 0.75), new NovelCategory(3, -0.5)), "cycle-3");
        assertThat(StoreCodec.decodeEntry("k", StoreCodec.encode(entry))).isEqualTo(entry);
        UserState state = UserState.of(GroupCsid.of(1, 2), List.of(9, 1));
        assertThat(StoreCodec.decodeUser("u", StoreCodec.encode(state))).isEqualTo(state);

        byte[] truncated = java.util.Arrays.copyOf(StoreCodec.encode(entry), 10);
        assertThatThrownBy(() -> StoreCodec.decodeEntry("003:00000000000000ff", truncated))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key '003:00000000000000ff'");
        assertThatThrownBy(() -> StoreCodec.decodeUser("u42", new byte[] {9}))
                .hasMessageContaining("user 'u42'");
    }

    @Test
    void userStateValidatesItsSet() {
        assertThatThrownBy(() -> UserState.of(GroupCsid.of(1), List.of(-3)))
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> UserIds.check("")).hasMessageContaining("invalid user id ''");
    }
}
