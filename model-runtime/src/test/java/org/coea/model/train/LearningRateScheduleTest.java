package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.coea.model.train.LearningRateSchedule.Decay;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    private static LearningRateSchedule schedule(Decay decay) {
        return LearningRateSchedule.builder()
                .setPeakRate(1e-3)
                .optWarmupSteps(4)
                .optDecay(decay, 14)
                .optFinalRate(1e-4)
                .build();
    }

    private static void assertRate(LearningRateSchedule s, long step, double expected) {
        assertThat((double) s.rate(step))
                .as("%s at step %d", s, step)
                .isCloseTo(expected, within(1e-7 * expected));
    }

    @Test
    void warmupRisesLinearlyFromTheFirstStepToThePeak() {
        LearningRateSchedule s = schedule(Decay.LINEAR);
        assertRate(s, 0, 2.5e-4);
        assertRate(s, 1, 5.0e-4);
        assertRate(s, 2, 7.5e-4);
        assertRate(s, 3, 1.0e-3);
    }

    @Test
    void linearDecayReachesTheFloorAtTheTotalAndStays() {
        LearningRateSchedule s = schedule(Decay.LINEAR);
        assertRate(s, 4, 1.0e-3);
        assertRate(s, 5, 9.1e-4); // 1e-4 + 9e-4 * (1 - 0.1)
        assertRate(s, 9, 5.5e-4); // half way
        assertRate(s, 13, 1.9e-4);
        assertRate(s, 14, 1.0e-4);
        assertRate(s, 1000, 1.0e-4);
    }

    @Test
    void cosineDecayFollowsHalfACosine() {
        LearningRateSchedule s = schedule(Decay.COSINE);
        assertRate(s, 4, 1.0e-3);
        // progress 0.2: (1 + cos(0.2 pi)) / 2 = 0.9045084972
        assertRate(s, 6, 1e-4 + 9e-4 * 0.9045084972);
        assertRate(s, 9, 5.5e-4);
        // progress 0.8: (1 + cos(0.8 pi)) / 2 = 0.0954915028
        assertRate(s, 12, 1e-4 + 9e-4 * 0.0954915028);
        assertRate(s, 14, 1.0e-4);
        assertRate(s, 20, 1.0e-4);
    }

    @Test
    void constantStaysAtThePeakAfterWarmupAndNoWarmupStartsThere() {
        LearningRateSchedule s =
                LearningRateSchedule.builder().setPeakRate(0.02).optWarmupSteps(2).build();
        assertRate(s, 0, 0.01);
        assertRate(s, 1, 0.02);
        assertRate(s, 2, 0.02);
        assertRate(s, 1_000_000, 0.02);
        LearningRateSchedule cosine =
                LearningRateSchedule.builder().setPeakRate(0.02).optDecay(Decay.COSINE, 10).build();
        assertRate(cosine, 0, 0.02);
        assertRate(cosine, 5, 0.01);
        assertThat(cosine.rate(10)).isZero();
    }

    @Test
    void rejectsInconsistentOptions() {
        assertThatThrownBy(() -> LearningRateSchedule.builder().build())
                .hasMessageContaining("peak rate must be set");
        assertThatThrownBy(
                        () ->
                                LearningRateSchedule.builder()
                                        .setPeakRate(1)
                                        .optWarmupSteps(10)
                                        .optDecay(Decay.LINEAR, 10)
                                        .build())
                .hasMessageContaining("totalSteps > warmupSteps");
        assertThatThrownBy(
                        () ->
                                LearningRateSchedule.builder()
                                        .setPeakRate(1)
                                        .optFinalRate(0.1)
                                        .build())
                .hasMessageContaining("needs a linear or cosine decay");
        assertThatThrownBy(
                        () ->
                                LearningRateSchedule.builder()
                                        .setPeakRate(1)
                                        .optDecay(Decay.LINEAR, 5)
                                        .optFinalRate(2)
                                        .build())
                .hasMessageContaining("final rate must be in [0, peak");
        assertThatThrownBy(() -> schedule(Decay.LINEAR).rate(-1)).hasMessageContaining(">= 0");
    }
}
