package org.coea.model.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor to write: its on-disk type, shape, and either raw little-endian bytes or floats that
 * the writer converts (round to nearest even for F16 and BF16).
 */
public final class TensorData {
    private static final int CHUNK_ELEMENTS = 1 << 16;

    private final SafetensorsDtype dtype;
    private final long[] shape;
    private final long byteSize;
    private final ByteBuffer bytes;
    private final float[] floats;

    private TensorData(SafetensorsDtype dtype, long[] shape, ByteBuffer bytes, float[] floats) {
        this.dtype = dtype;
        this.shape = shape;
        this.bytes = bytes;
        this.floats = floats;
        this.byteSize = byteSize(shape, dtype);
    }

    /**
     * Raw data: the bytes from {@code littleEndian}'s position to its limit, already in the
     * safetensors layout (little-endian, row-major). The buffer is not copied; it must not change
     * until written.
     *
     * @throws IllegalArgumentException if the byte count is not element count times type size
     */
    public static TensorData ofBytes(
            SafetensorsDtype dtype, long[] shape, ByteBuffer littleEndian) {
        Objects.requireNonNull(dtype, "dtype");
        long[] dims = checkShape(shape);
        long expected = byteSize(dims, dtype);
        ByteBuffer view = littleEndian.slice();
        if (view.remaining() != expected) {
            throw new IllegalArgumentException(
                    view.remaining()
                            + " bytes given but shape "
                            + Arrays.toString(dims)
                            + " of "
                            + dtype
                            + " needs "
                            + expected);
        }
        return new TensorData(dtype, dims, view.asReadOnlyBuffer(), null);
    }

    /**
     * Float data written as {@code onDisk}: F32, F16 or BF16 (round to nearest even; overflow gives
     * infinity) or F64 (exact). The array is not copied; it must not change until written.
     *
     * @throws IllegalArgumentException if the length does not match the shape or {@code onDisk} is
     *     not a float type
     */
    public static TensorData ofFloats(float[] values, long[] shape, SafetensorsDtype onDisk) {
        Objects.requireNonNull(values, "values");
        checkFloatType(onDisk);
        long[] dims = checkShape(shape);
        byteSize(dims, onDisk);
        if (TensorInfo.elementCount(dims) != values.length) {
            throw new IllegalArgumentException(
                    values.length
                            + " values given but shape "
                            + Arrays.toString(dims)
                            + " needs "
                            + TensorInfo.elementCount(dims));
        }
        return new TensorData(onDisk, dims, null, values);
    }

    /**
     * A copy of a FLOAT32 or FLOAT16 array's values (on any device), written as {@code onDisk}
     * (F32, F16, BF16 or F64); fp16 values are widened in Java, never through a bf16 array.
     *
     * @throws IllegalArgumentException for another array type, BFLOAT16 included (bf16 arrays abort
     *     the JVM on the PyTorch engine)
     */
    public static TensorData ofArray(NDArray array, SafetensorsDtype onDisk) {
        Objects.requireNonNull(array, "array");
        checkFloatType(onDisk);
        long[] dims = array.getShape().getShape();
        DataType type = array.getDataType();
        if (type == DataType.FLOAT32) {
            return ofFloats(array.toFloatArray(), dims, onDisk);
        }
        if (type == DataType.FLOAT16) {
            ShortBuffer halves =
                    array.toByteBuffer().order(ByteOrder.nativeOrder()).asShortBuffer();
            int count = halves.remaining();
            if (onDisk == SafetensorsDtype.F16) {
                ByteBuffer out =
                        ByteBuffer.allocate(Math.multiplyExact(count, 2))
                                .order(ByteOrder.LITTLE_ENDIAN);
                out.asShortBuffer().put(halves);
                return ofBytes(onDisk, dims, out);
            }
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = FloatBits.halfToFloat(halves.get(i));
            }
            return ofFloats(values, dims, onDisk);
        }
        throw new IllegalArgumentException(
                "cannot write a "
                        + type
                        + " array; only FLOAT32 and FLOAT16 arrays are written"
                        + (type == DataType.BFLOAT16
                                ? " (bf16 arrays abort the JVM on the PyTorch engine)"
                                : ""));
    }

    /**
     * A tensor exactly as stored in {@code source}, as a memory-mapped view (bit for bit; this
     * copies or re-shards a checkpoint without decoding it).
     */
    public static TensorData of(SafetensorsSource source, String name) throws IOException {
        TensorInfo info = source.info(name);
        return ofBytes(info.dtype(), info.shape(), source.bytes(name));
    }

    /** The on-disk element type. */
    public SafetensorsDtype dtype() {
        return dtype;
    }

    /** A copy of the dimensions. */
    public long[] shape() {
        return shape.clone();
    }

    /** Bytes this takes in the data buffer. */
    public long byteSize() {
        return byteSize;
    }

    /** Writes the on-disk bytes to {@code out}. */
    void writeTo(WritableByteChannel out) throws IOException {
        if (bytes != null) {
            writeFully(out, bytes.duplicate());
            return;
        }
        ByteBuffer chunk =
                ByteBuffer.allocate(CHUNK_ELEMENTS * dtype.byteSize())
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < floats.length; from += CHUNK_ELEMENTS) {
            int to = Math.min(floats.length, from + CHUNK_ELEMENTS);
            chunk.clear();
            FloatBits.encode(floats, from, to, dtype, chunk);
            chunk.flip();
            writeFully(out, chunk);
        }
    }

    static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static long[] checkShape(long[] shape) {
        long[] dims = Objects.requireNonNull(shape, "shape").clone();
        for (long dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in shape " + Arrays.toString(dims));
            }
        }
        return dims;
    }

    private static long byteSize(long[] dims, SafetensorsDtype dtype) {
        try {
            return Math.multiplyExact(TensorInfo.elementCount(dims), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(dims) + " of " + dtype + " overflows 64 bits");
        }
    }

    private static void checkFloatType(SafetensorsDtype onDisk) {
        if (!Objects.requireNonNull(onDisk, "onDisk").isDecodableFloat()) {
            throw new IllegalArgumentException(
                    "floats are written as F32, F16, BF16 or F64, not " + onDisk);
        }
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype + " " + Arrays.toString(shape) + ", " + byteSize + " bytes]";
    }
}
