package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the half-split layout of Qwen2/Llama: {@code x * cos +
 * rotate_half(x) * sin} with {@code rotate_half(x) = cat(-x2, x1)} and {@code inv_freq_i = 1 /
 * theta^(2i / d)}.
 */
public final class RotaryEmbedding {
    private final int headDim;
    private final float[] invFreq;

    RotaryEmbedding(int headDim, double theta) {
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
        }
    }

    /**
     * The cos and sin tables for positions {@code [B, T]} (int64): each {@code [B, 1, T, headDim]}
     * in {@code dataType}. Positions of padded slots may be anything; they are masked out.
     */
    public NDList cosSin(NDManager manager, NDArray positions, DataType dataType) {
        NDArray freq = manager.create(invFreq, new Shape(1, 1, invFreq.length));
        NDArray angles = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(freq);
        NDArray both = NDArrays.concat(new NDList(angles, angles), -1).expandDims(1);
        return new NDList(both.cos().toType(dataType, false), both.sin().toType(dataType, false));
    }

    /** Applies the rotation to {@code x [B, H, T, headDim]}. */
    public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        int half = headDim / 2;
        NDArray x1 = x.get("..., :" + half);
        NDArray x2 = x.get("..., " + half + ":");
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
