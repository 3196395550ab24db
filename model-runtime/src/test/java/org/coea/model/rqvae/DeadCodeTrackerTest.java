package org.coea.model.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadCodeTrackerTest {

    @Test
    void aCodeIsDeadAfterThresholdStepsWithoutUse() {
        DeadCodeTracker t = new DeadCodeTracker(2, 4);
        // two examples per step, codes as [example][level] rows
        t.record(new long[] {0, 1, 2, 1}, 2);
        t.endStep();
        assertThat(t.dead(0, 1)).containsExactly(1, 3);
        assertThat(t.dead(1, 1)).containsExactly(0, 2, 3);
        assertThat(t.dead(0, 2)).isEmpty();
        t.record(new long[] {0, 0}, 2); // a second micro-batch counts for the same step
        t.record(new long[] {1, 1}, 2);
        t.endStep();
        assertThat(t.idleSteps(0, 2)).isEqualTo(1);
        assertThat(t.idleSteps(0, 3)).isEqualTo(2);
        assertThat(t.dead(0, 2)).containsExactly(3);
        assertThat(t.dead(1, 2)).containsExactly(2, 3);
        t.revive(0, 3);
        assertThat(t.dead(0, 2)).isEmpty();
        t.reviveAll();
        assertThat(t.dead(1, 1)).isEmpty();
    }

    @Test
    void refusesRowsOfAnotherLength() {
        DeadCodeTracker t = new DeadCodeTracker(3, 4);
        assertThatThrownBy(() -> t.record(new long[] {0, 1}, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
