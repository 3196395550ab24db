package org.coea.model.nd;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Gradient-safe scalar arithmetic on DJL arrays: training code makes every scalar operand here.
 *
 * <p>On the PyTorch engine, {@code NDArray.add/sub/mul/div/pow(Number)} wraps the number in a
 * temporary array over a Java direct buffer without copying it, and closes that array right after
 * the operation. When the other operand needs gradients, autograd keeps reading the buffer's memory
 * for backward ({@code mul}, {@code div} and {@code pow} save the scalar), but nothing keeps the
 * buffer alive: once the garbage collector frees it and the memory is reused, gradients come out as
 * 1e27 or NaN, intermittently and sometimes silently. These helpers instead make each scalar a 0-d
 * array that the engine allocates itself ({@code manager.full(new Shape(), value, dtype)}), with
 * the operand's manager, device and data type, and then use the array-array operation; the scalar
 * lives until that manager closes, as the result does.
 *
 * <p>A {@code float} carries the value into the engine, so values are exact up to float precision;
 * {@link DataType#FLOAT64} scalars add the float rounding error as a second float (about 48
 * significant bits). Values the data type cannot hold exactly are rejected rather than rounded:
 * fractions or magnitudes above 2^24 for integer types, magnitudes beyond the float range. {@link
 * DataType#BFLOAT16} is rejected because creating bf16 arrays aborts the JVM on this engine.
 */
public final class Scalars {
    /** Integers up to this magnitude pass through a {@code float} exactly. */
    static final double MAX_EXACT_INTEGER = 1 << 24;

    private static final double FLOAT16_MAX = 65504.0;

    private Scalars() {}

    /** A 0-d array of {@code value} on the manager's device. */
    public static NDArray scalar(NDManager manager, double value, DataType dataType) {
        return scalar(manager, value, dataType, manager.getDevice());
    }

    /** A 0-d array of {@code value} on the given device. */
    public static NDArray scalar(
            NDManager manager, double value, DataType dataType, Device device) {
        Objects.requireNonNull(manager, "manager");
        check(value, Objects.requireNonNull(dataType, "dataType"));
        float hi = (float) value;
        if (dataType != DataType.FLOAT64 || !Double.isFinite(value) || hi == value) {
            return manager.full(new Shape(), hi, dataType, device);
        }
        float lo = (float) (value - hi);
        try (NDArray h = manager.full(new Shape(), hi, dataType, device);
                NDArray l = manager.full(new Shape(), lo, dataType, device)) {
            return h.add(l);
        }
    }

    /** A 0-d array of {@code value} with the manager, device and data type of {@code array}. */
    public static NDArray like(NDArray array, double value) {
        return scalar(array.getManager(), value, array.getDataType(), array.getDevice());
    }

    /** {@code array + value}. */
    public static NDArray add(NDArray array, double value) {
        return array.add(like(array, value));
    }

    /** {@code array - value}. */
    public static NDArray sub(NDArray array, double value) {
        return array.sub(like(array, value));
    }

    /** {@code value - array}. */
    public static NDArray rsub(double value, NDArray array) {
        return like(array, value).sub(array);
    }

    /** {@code array * value}. */
    public static NDArray mul(NDArray array, double value) {
        return array.mul(like(array, value));
    }

    /** {@code array / value}. */
    public static NDArray div(NDArray array, double value) {
        return array.div(like(array, value));
    }

    /** {@code value / array}. */
    public static NDArray rdiv(double value, NDArray array) {
        return like(array, value).div(array);
    }

    /** {@code array ^ exponent}, element-wise. */
    public static NDArray pow(NDArray array, double exponent) {
        return array.pow(like(array, exponent));
    }

    private static void check(double value, DataType type) {
        if (type == DataType.BFLOAT16) {
            throw new IllegalArgumentException(
                    "bfloat16 scalars are not supported: creating bf16 arrays aborts the JVM on"
                            + " the PyTorch engine; use float32 on CPU or float16 on GPU");
        }
        if (type.isInteger()) {
            long min;
            long max;
            switch (type) {
                case INT8 -> {
                    min = Byte.MIN_VALUE;
                    max = Byte.MAX_VALUE;
                }
                case UINT8 -> {
                    min = 0;
                    max = 255;
                }
                case INT16 -> {
                    min = Short.MIN_VALUE;
                    max = Short.MAX_VALUE;
                }
                case UINT16 -> {
                    min = 0;
                    max = 65535;
                }
                case UINT32, UINT64 -> {
                    min = 0;
                    max = (long) MAX_EXACT_INTEGER;
                }
                default -> {
                    min = -(long) MAX_EXACT_INTEGER;
                    max = (long) MAX_EXACT_INTEGER;
                }
            }
            if (value != Math.rint(value) || value < min || value > max) {
                throw new IllegalArgumentException(
                        "scalar "
                                + text(value)
                                + " is not an exact "
                                + type
                                + " value (integers in ["
                                + min
                                + ", "
                                + max
                                + "])");
            }
        } else if (type.isFloating()) {
            double max = type == DataType.FLOAT16 ? FLOAT16_MAX : Float.MAX_VALUE;
            if (Double.isFinite(value) && Math.abs(value) > max) {
                throw new IllegalArgumentException(
                        "scalar "
                                + value
                                + " is beyond the "
                                + type
                                + " range (|x| <= "
                                + max
                                + ")");
            }
        } else {
            throw new IllegalArgumentException("scalar of non-numeric data type " + type);
        }
    }

    private static String text(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }
}
