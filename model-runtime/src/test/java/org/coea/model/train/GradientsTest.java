package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import org.coea.model.nd.Scalars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradientsTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsAndCollectorsUntilZeroed() {
        NDArray x = trainable(new float[] {1f, -2f, 3f});
        NDArray untouched = trainable(new float[] {5f});
        assertThat(Gradients.hasGradient(x)).as("before any backward").isFalse();

        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(x.square().sum()); // 2x
            gc.backward(Scalars.mul(x, 3.0).sum()); // + 3
        }
        assertThat(x.getGradient().toFloatArray())
                .as("two backward calls in one collector add up")
                .containsExactly(5f, -1f, 9f);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(x.sum()); // + 1
        }
        assertThat(x.getGradient().toFloatArray())
                .as("a new collector does not zero them")
                .containsExactly(6f, 0f, 10f);

        Gradients.zeroGradients(List.of(x, untouched));
        assertThat(x.getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
        assertThat(Gradients.hasGradient(x)).as("zeroed, not removed").isTrue();
        assertThat(Gradients.hasGradient(untouched))
                .as("never reached by backward, still without gradient")
                .isFalse();

        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(x.square().sum());
        }
        assertThat(x.getGradient().toFloatArray())
                .as("after zeroing, only the new backward counts")
                .containsExactly(2f, -4f, 6f);
    }

    @Test
    void zeroingClearsNonFiniteGradients() {
        NDArray x = trainable(new float[] {0f, 1f});
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(x.sqrt().sum().add(x.log().sum()));
        }
        float[] broken = x.getGradient().toFloatArray();
        assertThat(Float.isFinite(broken[0])).as("d sqrt(x) / dx at 0").isFalse();
        Gradients.zeroGradients(List.of(x));
        assertThat(x.getGradient().toFloatArray()).containsExactly(0f, 0f);
    }

    @Test
    void clippingScalesAllGradientsToTheMaximumGlobalNorm() {
        Random random = new Random(11);
        for (double fraction : new double[] {1.0 / 3, 0.8, 0.999}) {
            float[][] grads = {randoms(random, 12), randoms(random, 5), randoms(random, 1)};
            List<NDArray> params = withGradients(grads);
            NDArray noGradient = trainable(new float[] {100f});
            List<NDArray> all = List.of(params.get(0), params.get(1), noGradient, params.get(2));

            double expectedNorm = plainNorm(grads);
            double maxNorm = expectedNorm * fraction;
            double norm = Gradients.clipGlobalNorm(all, maxNorm);

            assertThat(norm)
                    .as("the norm before clipping")
                    .isCloseTo(expectedNorm, within(1e-6 * expectedNorm));
            float[][] clipped = gradientsOf(params);
            assertThat(plainNorm(clipped))
                    .as("the global norm after clipping to %s of it", fraction)
                    .isCloseTo(maxNorm, within(1e-6 * maxNorm));
            double scale = maxNorm / (expectedNorm + 1e-6);
            for (int p = 0; p < grads.length; p++) {
                for (int i = 0; i < grads[p].length; i++) {
                    assertThat((double) clipped[p][i])
                            .as("gradient %d[%d] keeps its direction", p, i)
                            .isCloseTo(grads[p][i] * scale, within(1e-6 * Math.abs(grads[p][i])));
                }
            }
            assertThat(Gradients.hasGradient(noGradient)).isFalse();
        }
    }

    @Test
    void gradientsBelowTheMaximumStayUnchanged() {
        Random random = new Random(12);
        float[][] grads = {randoms(random, 7), randoms(random, 3)};
        List<NDArray> params = withGradients(grads);
        double expectedNorm = plainNorm(grads);

        double norm = Gradients.clipGlobalNorm(params, expectedNorm * 1.5);

        assertThat(norm).isCloseTo(expectedNorm, within(1e-6 * expectedNorm));
        assertThat(gradientsOf(params)).isDeepEqualTo(grads);
        assertThat(Gradients.globalNorm(params))
                .isCloseTo(expectedNorm, within(1e-6 * expectedNorm));
    }

    @Test
    void aNonFiniteNormIsReportedAndLeavesGradientsAlone() {
        NDArray x = trainable(new float[] {0f, 4f});
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(x.sqrt().sum());
        }
        double norm = Gradients.clipGlobalNorm(List.of(x), 1.0);
        assertThat(norm).isInfinite();
        assertThat(x.getGradient().toFloatArray()).containsExactly(Float.POSITIVE_INFINITY, 0.25f);
    }

    @Test
    void float16GradientsAreMeasuredInFloat32() {
        NDArray h = manager.create(new float[] {300f, 400f}).toType(DataType.FLOAT16, false);
        h.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(h.square().sum().div(manager.full(new Shape(), 2f, DataType.FLOAT16)));
        }
        assertThat(Gradients.globalNorm(List.of(h)))
                .as("300^2 + 400^2 overflows float16, not float32")
                .isCloseTo(500.0, within(1e-9));
    }

    @Test
    void rejectsANonPositiveMaximum() {
        assertThatThrownBy(() -> Gradients.clipGlobalNorm(List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxNorm");
        assertThatThrownBy(() -> Gradients.clipGlobalNorm(List.of(), Double.POSITIVE_INFINITY))
                .hasMessageContaining("maxNorm");
    }

    private NDArray trainable(float[] values) {
        NDArray array = manager.create(values);
        array.setRequiresGradient(true);
        return array;
    }

    /** Parameters whose gradients are exactly {@code grads}: the loss is {@code sum(g * p)}. */
    private List<NDArray> withGradients(float[][] grads) {
        List<NDArray> params =
                java.util.Arrays.stream(grads).map(g -> trainable(new float[g.length])).toList();
        try (NDManager scope = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = Scalars.scalar(scope, 0, DataType.FLOAT32);
            for (int p = 0; p < grads.length; p++) {
                loss = loss.add(scope.create(grads[p]).mul(params.get(p)).sum());
            }
            gc.backward(loss);
        }
        assertThat(gradientsOf(params)).isDeepEqualTo(grads);
        return params;
    }

    private static float[][] gradientsOf(List<NDArray> params) {
        return params.stream().map(p -> p.getGradient().toFloatArray()).toArray(float[][]::new);
    }

    private static double plainNorm(float[][] grads) {
        double sum = 0;
        for (float[] g : grads) {
            for (float v : g) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }

    private static float[] randoms(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 3);
        }
        return values;
    }
}
