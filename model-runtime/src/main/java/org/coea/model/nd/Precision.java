package org.coea.model.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Where reduced precision is unsafe (norms, softmax, log-probabilities), computations run in at
 * least fp32: half types are widened, fp32 and fp64 stay as they are (fp64 serves gradient checks).
 */
public final class Precision {
    private Precision() {}

    /** The data type to compute in for arrays of {@code type}. */
    public static DataType atLeastFloat32(DataType type) {
        return type == DataType.FLOAT16 || type == DataType.BFLOAT16 ? DataType.FLOAT32 : type;
    }

    /** The array in at least fp32 (itself when already). */
    public static NDArray widen(NDArray x) {
        DataType t = atLeastFloat32(x.getDataType());
        return t == x.getDataType() ? x : x.toType(t, false);
    }
}
