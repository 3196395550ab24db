package org.coea.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CategoryIndexTest {
    @Test
    void idsFollowTheSortedNamesWhateverTheirOrder() {
        CategoryIndex a = CategoryIndex.of(List.of("drama", "action", "comedy", "action"));
        assertThat(a.names()).containsExactly("action", "comedy", "drama");
        assertThat(a.id("drama")).isEqualTo(2);
        assertThatThrownBy(() -> a.id("horror")).hasMessageContaining("unknown category 'horror'");
    }

    @Test
    void extendKeepsEveryExistingIdAndNumbersNewNamesAfterThem() {
        // "adventure" sorts first, but it is new: it must not move "action" or "comedy".
        CategoryIndex b =
                CategoryIndex.extend(
                        List.of("comedy", "action"), List.of("zombie", "action", "adventure"));
        assertThat(b.names()).containsExactly("comedy", "action", "adventure", "zombie");
        assertThat(b.id("comedy")).isZero();
        assertThat(b.id("action")).isEqualTo(1);
        assertThat(b.id("adventure")).isEqualTo(2);
        assertThat(CategoryIndex.extend(List.of("x"), List.of()).names()).containsExactly("x");
        assertThatThrownBy(() -> CategoryIndex.extend(List.of("x", "x"), List.of()))
                .hasMessageContaining("repeat");
    }
}
