package org.coea.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.coea.model.nd.Scalars;

/**
 * The AdamW optimizer (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", Algorithm 2)
 * over a name-to-array parameter map, updating the arrays in place from their gradients.
 *
 * <p>For a parameter {@code p} with gradient {@code g}, its own update count {@code t}, learning
 * rate {@code lr} and weight decay {@code wd}, one step is, as in PyTorch's {@code AdamW}:
 *
 * <pre>
 * p = p * (1 - lr * wd)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p>Parameters without a gradient (not requiring one, or not yet reached by a backward pass; see
 * {@link Gradients}) are skipped: neither they nor their moments change and their {@code t} does
 * not advance. The moments live in float32 on the parameter's device whatever the parameter's type,
 * and the update is computed in float32; a float16 parameter receives the update rounded to
 * float16, so updates below half its precision are lost (keep float32 master weights for long
 * float16 training).
 *
 * <p>{@link #step} must run outside the {@code GradientCollector}, after the backward passes: it
 * changes the parameters in place, which autograd forbids while recording. The optimizer owns its
 * moments, not the parameters; {@link #close} frees the moments.
 */
public final class AdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Predicate<String> noDecay;
    private final NDManager manager;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private long steps;

    private AdamW(Builder builder) {
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.weightDecay = builder.weightDecay;
        this.noDecay = builder.noDecay;
        this.manager = NDManager.newBaseManager(Device.cpu());
    }

    /** A builder with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Updates every parameter that has a gradient, in place, with learning rate {@code lr}.
     *
     * @param params the trainable parameters by name; the same name must denote an array of the
     *     same shape at every step
     * @param lr the learning rate of this step, typically {@link LearningRateSchedule#rate} of
     *     {@link #stepCount()}
     * @throws IllegalStateException when called while a {@code GradientCollector} is recording, or
     *     when a parameter's shape differs from its moments
     */
    public void step(Map<String, NDArray> params, float lr) {
        Objects.requireNonNull(params, "params");
        if (!(lr >= 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
        }
        if (JniUtils.isGradMode()) {
            throw new IllegalStateException(
                    "AdamW.step changes parameters in place: call it after closing the"
                            + " GradientCollector");
        }
        steps++;
        for (Map.Entry<String, NDArray> entry : params.entrySet()) {
            String name = Objects.requireNonNull(entry.getKey(), "parameter name");
            NDArray param = Objects.requireNonNull(entry.getValue(), name);
            update(name, param, lr);
        }
    }

    private void update(String name, NDArray param, float lr) {
        Device device = param.getDevice();
        try (NDManager scope = manager.newSubManager(device)) {
            NDArray gradient = Gradients.gradientOrNull(param, scope);
            if (gradient == null) {
                return;
            }
            Slot slot = slot(name, param);
            long t = ++slot.step;
            double correction1 = 1 - Math.pow(beta1, t);
            double correction2 = 1 - Math.pow(beta2, t);
            double stepSize = lr / correction1;
            NDArray g = gradient.toType(DataType.FLOAT32, false);

            slot.first.muli(scalar(scope, beta1)).addi(g.mul(scalar(scope, 1 - beta1)));
            slot.second.muli(scalar(scope, beta2)).addi(g.mul(g).mul(scalar(scope, 1 - beta2)));
            NDArray denominator =
                    own(scope, slot.second.sqrt())
                            .div(scalar(scope, Math.sqrt(correction2)))
                            .add(scalar(scope, epsilon));
            NDArray delta = own(scope, slot.first.div(denominator)).mul(scalar(scope, stepSize));

            boolean sameType = param.getDataType() == DataType.FLOAT32;
            NDArray target = sameType ? param : own(scope, param.toType(DataType.FLOAT32, true));
            if (weightDecay > 0 && !noDecay.test(name)) {
                target.muli(scalar(scope, 1 - (double) lr * weightDecay));
            }
            target.subi(delta);
            if (!sameType) {
                param.set(new NDIndex("..."), target.toType(param.getDataType(), false));
            }
        }
    }

    /** The moments of {@code name}, made on first use or from a loaded state. */
    private Slot slot(String name, NDArray param) {
        Shape shape = param.getShape();
        Slot slot = slots.get(name);
        if (slot == null) {
            slot = new Slot();
            slot.first = manager.zeros(shape, DataType.FLOAT32, param.getDevice());
            slot.second = manager.zeros(shape, DataType.FLOAT32, param.getDevice());
            slots.put(name, slot);
        } else if (slot.first == null) {
            requireShape(name, slot.pending.shape(), shape);
            slot.first = moment(slot.pending.first(), shape, param.getDevice());
            slot.second = moment(slot.pending.second(), shape, param.getDevice());
            slot.pending = null;
        } else {
            requireShape(name, slot.first.getShape().getShape(), shape);
            if (!slot.first.getDevice().equals(param.getDevice())) {
                slot.first = moveTo(slot.first, param.getDevice());
                slot.second = moveTo(slot.second, param.getDevice());
            }
        }
        return slot;
    }

    private NDArray moment(float[] values, Shape shape, Device device) {
        // Made directly on the optimizer's manager: the array keeps its Java buffer alive (a
        // same-device "copy" by toDevice may be a view of it, which would dangle once freed).
        NDArray onCpu = manager.create(values, shape);
        if (onCpu.getDevice().equals(device)) {
            return onCpu;
        }
        NDArray moment = onCpu.toDevice(device, true);
        moment.attach(manager);
        onCpu.close();
        return moment;
    }

    private NDArray moveTo(NDArray moment, Device device) {
        NDArray moved = moment.toDevice(device, true);
        moved.attach(manager);
        moment.close();
        return moved;
    }

    private static void requireShape(String name, long[] expected, Shape actual) {
        if (!Arrays.equals(expected, actual.getShape())) {
            throw new IllegalStateException(
                    "parameter "
                            + name
                            + " has shape "
                            + actual
                            + ", but its optimizer moments have shape "
                            + new Shape(expected));
        }
    }

    /** The number of {@link #step} calls so far, including those of a loaded state. */
    public long stepCount() {
        return steps;
    }

    /** A snapshot of the step count and all moments, copied to the Java heap. */
    public AdamWState state() {
        Map<String, AdamWState.Moments> moments = new LinkedHashMap<>();
        slots.forEach(
                (name, slot) ->
                        moments.put(
                                name,
                                slot.first == null
                                        ? slot.pending
                                        : new AdamWState.Moments(
                                                slot.step,
                                                slot.first.getShape().getShape(),
                                                slot.first.toFloatArray(),
                                                slot.second.toFloatArray())));
        return new AdamWState(steps, moments);
    }

    /**
     * Replaces the whole state with {@code state}, as saved by {@link #state()}: the next {@link
     * #step} continues exactly where the saved optimizer stopped. Moments reach the device of their
     * parameter at the next step.
     */
    public void loadState(AdamWState state) {
        Objects.requireNonNull(state, "state");
        freeMoments();
        slots.clear();
        state.moments()
                .forEach(
                        (name, m) -> {
                            Slot slot = new Slot();
                            slot.step = m.step();
                            slot.pending = m;
                            slots.put(name, slot);
                        });
        steps = state.step();
    }

    /** Frees the moments. */
    @Override
    public void close() {
        freeMoments();
        slots.clear();
        manager.close();
    }

    private void freeMoments() {
        for (Slot slot : slots.values()) {
            if (slot.first != null) {
                slot.first.close();
                slot.second.close();
            }
        }
    }

    private static NDArray scalar(NDManager scope, double value) {
        return Scalars.scalar(scope, value, DataType.FLOAT32);
    }

    /** Moves an intermediate result made by an array of another manager into {@code scope}. */
    private static NDArray own(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }

    /** One parameter's moments: live arrays, or values loaded and not yet placed on a device. */
    private static final class Slot {
        NDArray first;
        NDArray second;
        long step;
        AdamWState.Moments pending;
    }

    /** Builds an {@link AdamW}; every option has PyTorch's default. */
    public static final class Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay = 0.01;
        private Predicate<String> noDecay = name -> false;

        private Builder() {}

        /** The decay rate of the first moment, in [0, 1); default 0.9. */
        public Builder optBeta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        /** The decay rate of the second moment, in [0, 1); default 0.999. */
        public Builder optBeta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        /** The term added to the denominator, > 0; default 1e-8. */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The decoupled weight decay, >= 0, multiplied by the learning rate; default 0.01. */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * The parameter names that get no weight decay, such as biases and norm weights; default
         * none.
         */
        public Builder optNoDecay(Predicate<String> noDecay) {
            this.noDecay = Objects.requireNonNull(noDecay, "noDecay");
            return this;
        }

        /** Validates the options and makes the optimizer. */
        public AdamW build() {
            requireRate("beta1", beta1);
            requireRate("beta2", beta2);
            if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException(
                        "epsilon must be positive and finite, got " + epsilon);
            }
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException(
                        "weightDecay must be finite and >= 0, got " + weightDecay);
            }
            return new AdamW(this);
        }

        private static void requireRate(String name, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
            }
        }
    }
}
