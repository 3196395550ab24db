package org.coea.model.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Read access to named tensors in safetensors form, one file or a sharded checkpoint alike.
 *
 * <p>Float data is decoded in Java (F16 and BF16 included), so no BF16 array ever reaches the
 * engine: on the PyTorch engine creating or converting one aborts the JVM.
 */
public interface SafetensorsSource extends AutoCloseable {

    /** Tensor names in storage order (shard by shard, then by data offset). */
    List<String> names();

    /** Whether a tensor of that name exists. */
    boolean contains(String name);

    /**
     * The header entry of a tensor.
     *
     * @throws IllegalArgumentException if there is no such tensor
     */
    TensorInfo info(String name);

    /**
     * The file that holds a tensor (its shard, in a sharded checkpoint).
     *
     * @throws IllegalArgumentException if there is no such tensor
     */
    Path fileOf(String name);

    /** The string metadata ({@code __metadata__}, or the index's {@code metadata}). */
    Map<String, String> metadata();

    /**
     * A read-only little-endian view of a tensor's bytes, memory-mapped from the file; it stays
     * valid after {@link #close()}.
     *
     * @throws IllegalArgumentException if there is no such tensor
     * @throws IOException if the tensor is over 2 GiB (one mapping cannot hold it) or mapping fails
     */
    ByteBuffer bytes(String name) throws IOException;

    /**
     * A tensor's values as floats, row-major: F32 as stored, F16 and BF16 widened exactly, F64
     * narrowed to the nearest float.
     *
     * @throws IllegalArgumentException if there is no such tensor or its type is not F64, F32, F16
     *     or BF16
     */
    default float[] readFloat32(String name) throws IOException {
        TensorInfo info = checkFloat(name);
        long count = info.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    fileOf(name)
                            + ": tensor '"
                            + name
                            + "' has "
                            + count
                            + " elements, too many for a float[]");
        }
        float[] values = new float[(int) count];
        FloatBits.decode(info.dtype(), bytes(name), FloatBuffer.wrap(values));
        return values;
    }

    /**
     * A tensor as a new array on the manager's device, converted in Java: {@link DataType#FLOAT32}
     * (the choice on CPU) or {@link DataType#FLOAT16} (the choice on GPU, round to nearest even);
     * the array belongs to {@code manager}.
     *
     * @throws IllegalArgumentException if there is no such tensor, its type is not F64, F32, F16 or
     *     BF16, or {@code target} is another type (BFLOAT16 aborts the JVM on this engine)
     */
    default NDArray load(NDManager manager, String name, DataType target) throws IOException {
        if (target != DataType.FLOAT32 && target != DataType.FLOAT16) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "': cannot load as "
                            + target
                            + "; use FLOAT32 (CPU) or FLOAT16 (GPU)"
                            + (target == DataType.BFLOAT16
                                    ? " because bf16 arrays abort the JVM on the PyTorch engine"
                                    : ""));
        }
        TensorInfo info = checkFloat(name);
        long bytes = info.elementCount() * (target == DataType.FLOAT32 ? 4 : 2);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    fileOf(name)
                            + ": tensor '"
                            + name
                            + "' needs "
                            + bytes
                            + " bytes as "
                            + target
                            + ", over the 2 GiB one array buffer can hold");
        }
        ByteBuffer buffer = manager.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        ByteBuffer raw = bytes(name);
        if (target == DataType.FLOAT32) {
            FloatBits.decode(info.dtype(), raw, buffer.asFloatBuffer());
        } else {
            FloatBits.decodeToHalves(info.dtype(), raw, buffer.asShortBuffer());
        }
        return manager.create(buffer, new Shape(info.shape()), target);
    }

    /** Releases the open files; views from {@link #bytes} stay valid. */
    @Override
    void close() throws IOException;

    private TensorInfo checkFloat(String name) {
        TensorInfo info = info(name);
        if (!info.dtype().isDecodableFloat()) {
            throw new IllegalArgumentException(
                    fileOf(name)
                            + ": tensor '"
                            + name
                            + "' is "
                            + info.dtype()
                            + "; only F64, F32, F16 and BF16 convert to floats");
        }
        return info;
    }
}
