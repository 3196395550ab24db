package org.coea.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NoveltyRows.NovelCategoryValue;
import org.coea.common.store.NoveltyRows.Parsed;
import org.junit.jupiter.api.Test;

class NoveltyRowsTest {
    private static final List<Integer> SET = List.of(3, 5, 7);
    private static final String HASH = CategorySetHash.hex(SET);
    private static final List<NovelCategoryValue> RANKED =
            List.of(new NovelCategoryValue(9, 0.8), new NovelCategoryValue(2, 0.1));

    @Test
    void aWellFormedRowBecomesItsKeyAndEntry() {
        Parsed p = NoveltyRows.parse("003-014-007", SET, HASH, RANKED, "m1");
        assertThat(p.accepted()).isTrue();
        assertThat(p.key()).contains(NoveltyKey.of(GroupCsid.of(3, 14, 7), SET));
        assertThat(p.entry())
                .contains(
                        new NoveltyEntry(
                                List.of(new NovelCategory(9, 0.8), new NovelCategory(2, 0.1)),
                                "m1"));
        assertThat(
                        NoveltyRows.parse(
                                "003", List.of(), CategorySetHash.hex(List.of()), List.of(), "m"))
                .as("an empty set and no categories are a valid, empty key")
                .extracting(Parsed::accepted)
                .isEqualTo(true);
    }

    @Test
    void eachMalformedPartIsRejectedWithItsReason() {
        assertThat(reason(NoveltyRows.parse("3-14-7", SET, HASH, RANKED, "m")))
                .contains("malformed csid '3-14-7'");
        assertThat(reason(NoveltyRows.parse(null, SET, HASH, RANKED, "m")))
                .contains("csid is null");
        assertThat(reason(NoveltyRows.parse("003", SET, "00000000000000ff", RANKED, "m")))
                .contains("short_hash '00000000000000ff' is not the hash of short_set [3, 5, 7]");
        assertThat(reason(NoveltyRows.parse("003", List.of(-1), HASH, RANKED, "m")))
                .contains("invalid category id");
        assertThat(
                        reason(
                                NoveltyRows.parse(
                                        "003",
                                        SET,
                                        HASH,
                                        List.of(
                                                new NovelCategoryValue(1, 0.1),
                                                new NovelCategoryValue(2, 0.9)),
                                        "m")))
                .contains("ranked by score");
        assertThat(
                        reason(
                                NoveltyRows.parse(
                                        "003",
                                        SET,
                                        HASH,
                                        List.of(new NovelCategoryValue(1, Double.NaN)),
                                        "m")))
                .contains("must be finite");
        assertThat(reason(NoveltyRows.parse("003", SET, HASH, RANKED, " ")))
                .contains("model version");
    }

    private static String reason(Parsed p) {
        assertThat(p.accepted()).as("rejected").isFalse();
        return p.reject().orElseThrow();
    }
}
