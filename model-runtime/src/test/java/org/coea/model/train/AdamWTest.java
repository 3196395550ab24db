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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.coea.model.nd.Scalars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final double BETA1 = 0.85;
    private static final double BETA2 = 0.99;
    private static final double EPSILON = 1e-7;
    private static final double DECAY = 0.1;
    private static final float[] RATES = {0.01f, 0.02f, 0.03f, 0.02f, 0.01f};
    private static final int W = 6;
    private static final int B = 4;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * Loss at step t: {@code sum(c_t * w) + 0.25 * sum(w^2) + sum(d_t * b)}, so the gradients are
     * {@code c_t + 0.5 w} and {@code d_t}; {@code b} is excluded from weight decay, {@code unused}
     * requires gradients but is never on the backward path, and {@code frozen} requires none.
     */
    @Test
    void fiveStepsMatchAPlainDoubleImplementation() {
        Random random = new Random(3);
        double[] w = new double[W];
        double[] b = new double[B];
        for (int i = 0; i < W; i++) {
            w[i] =
                    (float)
                            (random.nextBoolean()
                                    ? 0.5 + random.nextDouble()
                                    : -0.5 - random.nextDouble());
        }
        for (int i = 0; i < B; i++) {
            b[i] = (float) (random.nextDouble() * 2 - 1);
        }
        double[][] c = new double[RATES.length][W];
        double[][] d = new double[RATES.length][B];
        double[] signs = {1, -1, 1, 1, -1, -1};
        for (int t = 0; t < RATES.length; t++) {
            for (int i = 0; i < W; i++) {
                c[t][i] = (float) (signs[i] * (1 + i + random.nextDouble()));
            }
            for (int i = 0; i < B; i++) {
                d[t][i] = (float) ((i % 2 == 0 ? 1 : -1) * (0.1 + random.nextDouble()));
            }
        }

        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("w", manager.create(toFloats(w), new Shape(2, 3)));
        params.put("b", manager.create(toFloats(b)));
        params.put("unused", manager.create(new float[] {1f, -1f}));
        params.put("frozen", manager.create(new float[] {2f, 3f, 4f}));
        params.get("w").setRequiresGradient(true);
        params.get("b").setRequiresGradient(true);
        params.get("unused").setRequiresGradient(true);

        double[] mw = new double[W];
        double[] vw = new double[W];
        double[] mb = new double[B];
        double[] vb = new double[B];
        try (AdamW optimizer =
                AdamW.builder()
                        .optBeta1(BETA1)
                        .optBeta2(BETA2)
                        .optEpsilon(EPSILON)
                        .optWeightDecay(DECAY)
                        .optNoDecay("b"::equals)
                        .build()) {
            for (int t = 0; t < RATES.length; t++) {
                try (NDManager scope = manager.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray pw = params.get("w");
                    NDArray loss =
                            scope.create(toFloats(c[t]), new Shape(2, 3))
                                    .mul(pw)
                                    .sum()
                                    .add(Scalars.mul(pw.square().sum(), 0.25))
                                    .add(scope.create(toFloats(d[t])).mul(params.get("b")).sum());
                    gc.backward(loss);
                }
                optimizer.step(params, RATES[t]);
                Gradients.zeroGradients(params.values());

                double[] gw = new double[W];
                for (int i = 0; i < W; i++) {
                    gw[i] = c[t][i] + 0.5 * w[i];
                }
                naiveAdamW(w, gw, mw, vw, t + 1, RATES[t], DECAY);
                naiveAdamW(b, d[t], mb, vb, t + 1, RATES[t], 0);
            }

            assertRelativelyClose("w", params.get("w").toFloatArray(), w);
            assertRelativelyClose("b", params.get("b").toFloatArray(), b);
            assertThat(params.get("unused").toFloatArray()).containsExactly(1f, -1f);
            assertThat(params.get("frozen").toFloatArray()).containsExactly(2f, 3f, 4f);

            AdamWState state = optimizer.state();
            assertThat(state.step()).isEqualTo(RATES.length);
            assertThat(optimizer.stepCount()).isEqualTo(RATES.length);
            assertThat(state.moments().keySet())
                    .as("parameters without gradients have no moments")
                    .containsExactly("w", "b");
            AdamWState.Moments moments = state.moments().get("w");
            assertThat(moments.step()).isEqualTo(RATES.length);
            assertThat(moments.shape()).containsExactly(2, 3);
            assertRelativelyClose("m(w)", moments.first(), mw);
            assertRelativelyClose("v(w)", moments.second(), vw);
            assertRelativelyClose("m(b)", state.moments().get("b").first(), mb);
            assertRelativelyClose("v(b)", state.moments().get("b").second(), vb);
        }
    }

    private static void naiveAdamW(
            double[] p, double[] g, double[] m, double[] v, int t, double lr, double decay) {
        for (int i = 0; i < p.length; i++) {
            p[i] -= lr * decay * p[i];
            m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
            double mHat = m[i] / (1 - Math.pow(BETA1, t));
            double vHat = v[i] / (1 - Math.pow(BETA2, t));
            p[i] -= lr * mHat / (Math.sqrt(vHat) + EPSILON);
        }
    }

    private static void assertRelativelyClose(String what, float[] actual, double[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i])
                    .as("%s[%d]", what, i)
                    .isCloseTo(expected[i], within(1e-6 * Math.abs(expected[i])));
        }
    }

    @Test
    void float16ParametersGetFloat32MomentsAndTheRoundedUpdate() {
        NDArray half = manager.create(new float[] {1f, -2f, 0.5f}).toType(DataType.FLOAT16, false);
        half.setRequiresGradient(true);
        Map<String, NDArray> params = Map.of("h", half);
        double[] p = {1, -2, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        try (AdamW optimizer =
                AdamW.builder()
                        .optBeta1(BETA1)
                        .optBeta2(BETA2)
                        .optEpsilon(EPSILON)
                        .optWeightDecay(DECAY)
                        .build()) {
            for (int t = 1; t <= 3; t++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(half.sum());
                }
                optimizer.step(params, 0.05f);
                Gradients.zeroGradients(params.values());
                naiveAdamW(p, new double[] {1, 1, 1}, m, v, t, 0.05, DECAY);
            }
            assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
            float[] actual = half.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertThat((double) actual[i])
                        .as("h[%d] within float16 rounding", i)
                        .isCloseTo(p[i], within(2e-3 * Math.abs(p[i])));
            }
            assertThat(actual[0]).as("the parameter moved").isLessThan(0.9f);
            assertThat(optimizer.state().moments().get("h").second()[0])
                    .as("the second moment is float32: 1 - 0.99^3 of g^2 = 1")
                    .isCloseTo((float) (1 - Math.pow(BETA2, 3)), within(1e-7f));
        }
    }

    @Test
    void aLoadedStateContinuesExactlyLikeTheOriginalOptimizer() {
        float[] start = {0.3f, -1.2f, 2.0f, 0.7f};
        NDArray a = trainable(start);
        NDArray b = trainable(start);
        try (AdamW original = AdamW.builder().build();
                AdamW first = AdamW.builder().build();
                AdamW second = AdamW.builder().build()) {
            for (int t = 0; t < 3; t++) {
                quadraticStep(a, original, t);
                quadraticStep(b, first, t);
            }
            AdamWState saved = first.state();
            second.loadState(saved);
            assertThat(second.state()).as("a loaded state reads back unchanged").isEqualTo(saved);
            assertThat(second.stepCount()).isEqualTo(3);
            for (int t = 3; t < 6; t++) {
                quadraticStep(a, original, t);
                quadraticStep(b, second, t);
            }
            assertThat(b.toFloatArray()).isEqualTo(a.toFloatArray());
            assertThat(second.state()).isEqualTo(original.state());
        }
    }

    @Test
    void aLoadedStateMustMatchTheParameterShapes() {
        NDArray a = trainable(new float[] {1f, 2f});
        try (AdamW first = AdamW.builder().build();
                AdamW second = AdamW.builder().build()) {
            quadraticStep(a, first, 0);
            second.loadState(first.state());
            NDArray wider = trainable(new float[] {1f, 2f, 3f});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(wider.square().sum());
            }
            assertThatThrownBy(() -> second.step(Map.of("p", wider), 0.1f))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parameter p has shape (3)")
                    .hasMessageContaining("(2)");
        }
    }

    @Test
    void steppingWhileTheCollectorRecordsFails() {
        NDArray a = trainable(new float[] {1f});
        try (AdamW optimizer = AdamW.builder().build();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(a.square().sum());
            assertThatThrownBy(() -> optimizer.step(Map.of("p", a), 0.1f))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after closing the GradientCollector");
        }
        assertThat(a.toFloatArray()).containsExactly(1f);
    }

    @Test
    void rejectsInvalidOptions() {
        assertThatThrownBy(() -> AdamW.builder().optBeta1(1.0).build())
                .hasMessageContaining("beta1 must be in [0, 1)");
        assertThatThrownBy(() -> AdamW.builder().optBeta2(-0.1).build())
                .hasMessageContaining("beta2");
        assertThatThrownBy(() -> AdamW.builder().optEpsilon(0).build())
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> AdamW.builder().optWeightDecay(Double.NaN).build())
                .hasMessageContaining("weightDecay");
        try (AdamW optimizer = AdamW.builder().build()) {
            assertThatThrownBy(() -> optimizer.step(Map.of(), -1f))
                    .hasMessageContaining("lr must be finite and >= 0");
        }
    }

    private NDArray trainable(float[] values) {
        NDArray array = manager.create(values);
        array.setRequiresGradient(true);
        return array;
    }

    private void quadraticStep(NDArray p, AdamW optimizer, int t) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray target = Scalars.scalar(scope, t * 0.1, DataType.FLOAT32);
            gc.backward(p.sub(target).square().sum());
        }
        optimizer.step(Map.of("p", p), 0.05f);
        Gradients.zeroGradients(java.util.List.of(p));
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
