package org.coea.common.pco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationFiguresTest {
    @Test
    void handComputedExamples() {
        // top 5 of [4, 9, 2, 7, 1, 3]: 4 9 2 7 1; history {2, 1}: 3 novel of 5
        assertThat(ValidationFigures.novelty(List.of(4, 9, 2, 7, 1, 3), Set.of(2, 1), 5))
                .isEqualTo(0.6);
        // clicked {9, 3}: only 9 is in the top 5
        assertThat(ValidationFigures.hits(List.of(4, 9, 2, 7, 1, 3), Set.of(9, 3), 5))
                .isEqualTo(0.2);
        // a short list: missing places count as neither
        assertThat(ValidationFigures.novelty(List.of(8), Set.of(), 5)).isEqualTo(0.2);
        assertThat(ValidationFigures.hits(List.of(), Set.of(1), 5)).isZero();
        assertThatThrownBy(() -> ValidationFigures.hits(List.of(), Set.of(), 0))
                .hasMessageContaining("K must be positive");
    }
}
