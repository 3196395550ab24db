package org.coea.spark.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Items 1 = [1, 0] (category 0), 2 = [0, 1] (category 1), 3 = [1, 1] (categories 1 and 2); h = [2,
 * 0] gives logits 2, 0, 2, so the masses are e^2 / Z (category 0), (1 + e^2) / Z (category 1) and
 * e^2 / Z (category 2): category 1 first, then 0 and 2 tied (by id).
 */
class NextItemCategoriesTest {
    static final float[] E = {0, 0, 1, 0, 0, 1, 1, 1};
    static final int[][] CATS = {{}, {0}, {1}, {1, 2}};

    @Test
    void categoriesRankByTheirItemsProbabilityMass() {
        NextItemCategories n = new NextItemCategories(E, 2, CATS, 4);
        assertThat(n.top(new float[] {2, 0}, 3)).containsExactly(1, 0, 2);
        // h = [0, 3]: logits 0, 3, 3 -> category 1 has items 2 and 3, category 2 item 3, 0 item 1
        assertThat(n.top(new float[] {0, 3}, 4)).containsExactly(1, 2, 0, 3);
        assertThatThrownBy(() -> n.top(new float[] {1}, 1)).hasMessageContaining("user vector");
        assertThatThrownBy(() -> new NextItemCategories(E, 2, new int[3][], 4))
                .hasMessageContaining("rows");
    }
}
