package org.coea.model.nd;

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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScalarsTest {
    private static final int ROUNDS = 50;
    private static final int SIZE = 300;

    private static NDManager root;

    @BeforeAll
    static void startEngine() {
        root = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void closeEngine() {
        root.close();
    }

    /**
     * y = sum((3x + 1 - 0.5)^2 / 2 + (1 - x) + 2 / (x^2 + 1)), so dy/dx = 3(3x + 0.5) - 1 - 4x /
     * (x^2 + 1)^2: every helper sits on the gradient path, and each round runs in a fresh
     * sub-manager because the corruption the helpers avoid was intermittent.
     */
    @Test
    void gradientsMatchTheAnalyticGradientOverRepeatedBackwardPasses() {
        Random random = new Random(7);
        for (int round = 0; round < ROUNDS; round++) {
            float[] xs = new float[SIZE];
            for (int i = 0; i < SIZE; i++) {
                xs[i] = (float) (random.nextDouble() * 4 - 2);
            }
            try (NDManager m = root.newSubManager()) {
                NDArray x = m.create(xs);
                x.setRequiresGradient(true);
                float y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray quadratic =
                            Scalars.div(
                                    Scalars.pow(
                                            Scalars.sub(Scalars.add(Scalars.mul(x, 3.0), 1.0), 0.5),
                                            2.0),
                                    2.0);
                    NDArray linear = Scalars.rsub(1.0, x);
                    NDArray bump = Scalars.rdiv(2.0, Scalars.add(x.square(), 1.0));
                    NDArray total = quadratic.add(linear).add(bump).sum();
                    y = total.getFloat();
                    churnNativeMemory();
                    gc.backward(total);
                }
                float[] gradient = x.getGradient().toFloatArray();

                double expectedY = 0;
                for (int i = 0; i < SIZE; i++) {
                    double v = xs[i];
                    double z = 3 * v + 0.5;
                    expectedY += z * z / 2 + (1 - v) + 2 / (v * v + 1);
                    double expected = 3 * z - 1 - 4 * v / ((v * v + 1) * (v * v + 1));
                    assertThat(Float.isFinite(gradient[i]))
                            .as("round %d, element %d: gradient %s", round, i, gradient[i])
                            .isTrue();
                    assertThat((double) gradient[i])
                            .as("round %d, element %d (x = %s)", round, i, v)
                            .isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
                }
                assertThat((double) y)
                        .as("round %d: y", round)
                        .isCloseTo(expectedY, within(1e-5 * Math.abs(expectedY)));
            }
        }
    }

    /**
     * Lets the collector free unreachable direct buffers and hands their memory to new ones full of
     * garbage, as a busy trainer would between forward and backward: a scalar backed by freed Java
     * memory then feeds garbage into backward instead of passing by luck.
     */
    private static void churnNativeMemory() {
        System.gc();
        List<ByteBuffer> keep = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            for (int size : new int[] {1, 2, 4, 8, 16}) {
                ByteBuffer b = ByteBuffer.allocateDirect(size);
                while (b.hasRemaining()) {
                    b.put((byte) 0x7f);
                }
                keep.add(b);
            }
        }
        assertThat(keep).hasSize(320);
    }

    @Test
    void eachOperationComputesItsValue() {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.create(new float[] {-2f, 0.5f, 4f});
            assertThat(Scalars.add(x, 1.5).toFloatArray()).containsExactly(-0.5f, 2f, 5.5f);
            assertThat(Scalars.sub(x, 1.5).toFloatArray()).containsExactly(-3.5f, -1f, 2.5f);
            assertThat(Scalars.rsub(1.5, x).toFloatArray()).containsExactly(3.5f, 1f, -2.5f);
            assertThat(Scalars.mul(x, -2.0).toFloatArray()).containsExactly(4f, -1f, -8f);
            assertThat(Scalars.div(x, 4.0).toFloatArray()).containsExactly(-0.5f, 0.125f, 1f);
            assertThat(Scalars.rdiv(2.0, x).toFloatArray()).containsExactly(-1f, 4f, 0.5f);
            assertThat(Scalars.pow(x, 2.0).toFloatArray()).containsExactly(4f, 0.25f, 16f);
        }
    }

    @Test
    void scalarsAreZeroDimensionalWithTheOperandsTypeAndDevice() {
        try (NDManager m = root.newSubManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
                NDArray s = Scalars.like(m.zeros(new Shape(2, 3), type), 2.5);
                assertThat(s.getShape()).as("%s shape", type).isEqualTo(new Shape());
                assertThat(s.getDataType()).isEqualTo(type);
                assertThat(s.getDevice()).isEqualTo(Device.cpu());
                assertThat(s.toType(DataType.FLOAT32, false).getFloat()).isEqualTo(2.5f);
            }
            NDArray ints = m.create(new long[] {1, 2, 3});
            NDArray sum = Scalars.add(ints, 5);
            assertThat(sum.getDataType()).isEqualTo(DataType.INT64);
            assertThat(sum.toLongArray()).containsExactly(6, 7, 8);
        }
    }

    @Test
    void float64ScalarsKeepMoreThanFloatPrecision() {
        try (NDManager m = root.newSubManager()) {
            double tenth = Scalars.scalar(m, 0.1, DataType.FLOAT64).getDouble();
            assertThat(Math.abs((double) (float) 0.1 - 0.1))
                    .as("a float alone loses this much")
                    .isGreaterThan(1e-9);
            assertThat(tenth).isCloseTo(0.1, within(1e-15));
            assertThat(Scalars.scalar(m, -123456.789, DataType.FLOAT64).getDouble())
                    .isCloseTo(-123456.789, within(1e-9));
        }
    }

    @Test
    void rejectsValuesTheTypeCannotHoldExactly() {
        try (NDManager m = root.newSubManager()) {
            assertThatThrownBy(() -> Scalars.scalar(m, 2.5, DataType.INT32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2.5");
            assertThatThrownBy(() -> Scalars.scalar(m, -1, DataType.UINT8))
                    .hasMessageContaining("[0, 255]");
            assertThatThrownBy(() -> Scalars.scalar(m, (1 << 24) + 1, DataType.INT64))
                    .hasMessageContaining("16777217");
            assertThatThrownBy(() -> Scalars.scalar(m, Double.NaN, DataType.INT64))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Scalars.scalar(m, 1e5, DataType.FLOAT16))
                    .hasMessageContaining("range");
            assertThatThrownBy(() -> Scalars.scalar(m, 1e39, DataType.FLOAT64))
                    .hasMessageContaining("range");
            assertThatThrownBy(() -> Scalars.scalar(m, 1, DataType.BFLOAT16))
                    .hasMessageContaining("bfloat16");
            assertThatThrownBy(() -> Scalars.scalar(m, 1, DataType.BOOLEAN))
                    .hasMessageContaining("non-numeric");
            assertThat(Scalars.scalar(m, 1 << 24, DataType.INT64).getLong()).isEqualTo(1L << 24);
            assertThat(Scalars.scalar(m, Double.NEGATIVE_INFINITY, DataType.FLOAT32).getFloat())
                    .isEqualTo(Float.NEGATIVE_INFINITY);
        }
    }
}
