package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NextItemExamplesTest {
    static final CsaConfig CONFIG =
            CsaConfig.builder()
                    .setNumItems(30)
                    .setNumFeatureValues(10)
                    .setNumFeatureFields(1)
                    .setMaxLength(4)
                    .build();

    @Test
    void shortSequencesAreRightAlignedWithShiftedTargets() {
        NextItemExamples e =
                NextItemExamples.of(CONFIG, List.of(new int[] {7, 8, 9}), List.of(new int[] {1}));
        // input: w0 w1 in the last two of 4 columns; positions 0 (feature) .. 4
        assertThat(e.input(0)).containsExactly(0, 0, 7, 8);
        // feature token -> 7, padding -> 0, 7 -> 8, 8 -> 9
        assertThat(e.target(0)).containsExactly(7, 0, 0, 8, 9);
    }

    @Test
    void lengthsCountTheRealInputItems() {
        NextItemExamples e =
                NextItemExamples.of(
                        CONFIG,
                        List.of(new int[] {7}, new int[] {7, 8, 9}, new int[] {1, 2, 3, 4, 5, 6}),
                        List.of(new int[] {1}, new int[] {1}, new int[] {1}));
        // one item: only the feature token predicts it; six items: capped at L = 4 inputs
        assertThat(e.lengths()).containsExactly(0, 2, 4);
    }

    @Test
    void longSequencesKeepTheirLastLPlusOneItems() {
        NextItemExamples e =
                NextItemExamples.of(
                        CONFIG, List.of(new int[] {1, 2, 3, 4, 5, 6, 7}), List.of(new int[] {0}));
        assertThat(e.input(0)).containsExactly(3, 4, 5, 6);
        assertThat(e.target(0)).containsExactly(3, 4, 5, 6, 7);
    }

    @Test
    void aSingleItemIsPredictedFromTheFeatureTokenAndEmptySequencesAreSkipped() {
        NextItemExamples e =
                NextItemExamples.of(
                        CONFIG,
                        List.of(new int[] {}, new int[] {12}),
                        List.of(new int[] {1}, new int[] {2}));
        assertThat(e.size()).isEqualTo(1);
        assertThat(e.input(0)).containsExactly(0, 0, 0, 0);
        assertThat(e.target(0)).containsExactly(12, 0, 0, 0, 0);
    }

    @Test
    void rejectsBadIds() {
        assertThatThrownBy(
                        () ->
                                NextItemExamples.of(
                                        CONFIG, List.of(new int[] {0, 3}), List.of(new int[] {1})))
                .hasMessageContaining("item id 0");
        assertThatThrownBy(
                        () ->
                                NextItemExamples.of(
                                        CONFIG, List.of(new int[] {3}), List.of(new int[] {11})))
                .hasMessageContaining("feature id 11");
    }
}
