package org.coea.model.train;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of {@link AdamW}'s state for checkpoints: how many steps it took and, per parameter
 * name, the first and second moments with the number of updates that parameter received.
 *
 * @param step the number of {@link AdamW#step} calls so far
 * @param moments per parameter name, in the order the optimizer first saw the parameters
 */
public record AdamWState(long step, Map<String, Moments> moments) {
    /** Validates the fields and keeps an unmodifiable, ordered copy of the map. */
    public AdamWState {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Objects.requireNonNull(moments, "moments");
        Map<String, Moments> copy = new LinkedHashMap<>();
        moments.forEach(
                (name, m) ->
                        copy.put(
                                Objects.requireNonNull(name, "parameter name"),
                                Objects.requireNonNull(m, "moments of " + name)));
        moments = Collections.unmodifiableMap(copy);
    }

    /**
     * The AdamW moments of one parameter, in float32, flattened in row-major order.
     *
     * <p>The arrays are copied in and out: a {@code Moments} never changes.
     *
     * @param step how many updates this parameter received (its bias-correction step)
     * @param shape the parameter's shape; {@code []} for a scalar
     * @param first the exponential average of gradients, {@code m}
     * @param second the exponential average of squared gradients, {@code v}
     */
    public record Moments(long step, long[] shape, float[] first, float[] second) {
        /** Validates the fields and copies the arrays. */
        public Moments {
            if (step < 0) {
                throw new IllegalArgumentException("step must be >= 0, got " + step);
            }
            shape = Objects.requireNonNull(shape, "shape").clone();
            first = Objects.requireNonNull(first, "first").clone();
            second = Objects.requireNonNull(second, "second").clone();
            long size = size(shape);
            if (first.length != size || second.length != size) {
                throw new IllegalArgumentException(
                        "shape "
                                + Arrays.toString(shape)
                                + " holds "
                                + size
                                + " values, but the moments have "
                                + first.length
                                + " and "
                                + second.length);
            }
        }

        /** A copy of the shape. */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** A copy of the first moment. */
        @Override
        public float[] first() {
            return first.clone();
        }

        /** A copy of the second moment. */
        @Override
        public float[] second() {
            return second.clone();
        }

        /** Equal when the step, shape and every moment bit pattern are equal. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Moments m
                    && step == m.step
                    && Arrays.equals(shape, m.shape)
                    && Arrays.equals(first, m.first)
                    && Arrays.equals(second, m.second);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    step, Arrays.hashCode(shape), Arrays.hashCode(first), Arrays.hashCode(second));
        }

        @Override
        public String toString() {
            return "Moments[step=" + step + ", shape=" + Arrays.toString(shape) + "]";
        }
    }

    /** The number of elements of an array with this shape. */
    static long size(long[] shape) {
        long size = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in shape " + Arrays.toString(shape));
            }
            size = Math.multiplyExact(size, dimension);
        }
        return size;
    }
}
