package org.coea.common.pco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CycleGuardTest {
    @Test
    void tripsOnlyWhenNoveltyFallsByMoreThanTheShare() {
        assertThat(CycleGuard.trips(0.40, 0.21, 0.5)).isFalse(); // fell 47.5%
        assertThat(CycleGuard.trips(0.40, 0.19, 0.5)).isTrue(); // fell 52.5%
        assertThat(CycleGuard.trips(0.40, 0.60, 0.01)).isFalse(); // rose
        assertThat(CycleGuard.trips(0.40, 0.0, 1.0)).isFalse(); // 1 disables it
        assertThat(CycleGuard.trips(Double.NaN, 0.1, 0.5)).isFalse(); // nothing to compare
        assertThatThrownBy(() -> CycleGuard.trips(1, 1, 0)).hasMessageContaining("(0, 1]");
    }
}
