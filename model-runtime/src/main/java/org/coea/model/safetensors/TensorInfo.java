package org.coea.model.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header: name, element type, shape and its {@code
 * data_offsets} (relative to the first byte after the header).
 *
 * @param name the tensor's name
 * @param dtype the element type on disk
 * @param shape the dimensions, row-major; empty for a scalar
 * @param begin the first data byte, relative to the data buffer
 * @param end one past the last data byte, relative to the data buffer
 */
public record TensorInfo(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {

    /** Validates the fields and copies the shape. */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
        }
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "': invalid data offsets [" + begin + ", " + end + "]");
        }
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes in the data buffer, {@code end - begin}. */
    public long byteSize() {
        return end - begin;
    }

    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name
                + " "
                + dtype
                + " "
                + Arrays.toString(shape)
                + " data_offsets=["
                + begin
                + ", "
                + end
                + "]";
    }
}
