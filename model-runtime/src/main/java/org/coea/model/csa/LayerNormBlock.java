package org.coea.model.csa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/**
 * Layer normalisation over the last axis with a learned scale and shift: {@code (x - mean) /
 * sqrt(var + eps) * weight + bias}. Input and output {@code [..., d]}; weight and bias {@code [d]}.
 */
final class LayerNormBlock {
    /** PyTorch's default epsilon. */
    static final float EPS = 1e-5f;

    private final NDArray weight;
    private final NDArray bias;

    LayerNormBlock(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    NDArray forward(NDArray x) {
        // The engine's fused op: eps travels as a JNI argument, not as a scalar array.
        return LayerNorm.layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, EPS)
                .head();
    }
}
