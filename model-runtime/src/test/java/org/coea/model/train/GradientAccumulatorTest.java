package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientAccumulatorTest {
    @Test
    void advanceClosesAWindowEveryStepsMicroBatches() {
        GradientAccumulator accumulator = new GradientAccumulator(3);
        List<Boolean> closes = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            closes.add(accumulator.advance());
            pending.add(accumulator.pending());
        }
        assertThat(closes).containsExactly(false, false, true, false, false, true, false);
        assertThat(pending).containsExactly(1, 2, 0, 1, 2, 0, 1);
        assertThat(new GradientAccumulator(1).advance()).isTrue();
    }

    @Test
    void scaledMicroBatchLossesAccumulateToTheMeanLossGradient() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = manager.create(new float[] {2f, -1f});
            w.setRequiresGradient(true);
            GradientAccumulator accumulator = new GradientAccumulator(4);
            float[][] inputs = {{1, 0}, {0, 2}, {3, 1}, {-1, 4}};
            float scaledSum = 0;
            for (float[] x : inputs) {
                try (NDManager scope = manager.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = scope.create(x).mul(w).sum().square();
                    NDArray scaled = accumulator.scale(loss);
                    assertThat(scaled.getFloat()).isEqualTo(loss.getFloat() / 4);
                    scaledSum += scaled.getFloat();
                    gc.backward(scaled);
                }
                accumulator.advance();
            }
            // d/dw of mean_k (x_k . w)^2 = mean_k 2 (x_k . w) x_k
            double[] expected = new double[2];
            double meanLoss = 0;
            for (float[] x : inputs) {
                double dot = x[0] * 2.0 + x[1] * -1.0;
                meanLoss += dot * dot / 4;
                expected[0] += 2 * dot * x[0] / 4;
                expected[1] += 2 * dot * x[1] / 4;
            }
            assertThat(w.getGradient().toFloatArray())
                    .containsExactly((float) expected[0], (float) expected[1]);
            assertThat((double) scaledSum).isEqualTo(meanLoss);
        }
    }

    @Test
    void oneStepLeavesTheLossAloneAndZeroStepsAreRejected() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray loss = manager.create(3f);
            assertThat(new GradientAccumulator(1).scale(loss)).isSameAs(loss);
        }
        assertThatThrownBy(() -> new GradientAccumulator(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 1");
    }
}
