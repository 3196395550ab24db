package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.coea.model.nd.Precision;
import org.coea.model.nd.Scalars;

/**
 * RMSNorm, computed in fp32 whatever the model dtype: {@code x * rsqrt(mean(x^2) + eps) * w}. Input
 * and output {@code [..., d]}; weight {@code [d]}.
 */
public final class RmsNormBlock {
    private final NDArray weight;
    private final double eps;

    RmsNormBlock(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    /** The weight {@code [d]}. */
    public NDArray weight() {
        return weight;
    }

    /** Normalises the last axis. */
    public NDArray forward(NDArray x) {
        DataType type = x.getDataType();
        NDArray x32 = Precision.widen(x);
        NDArray variance = x32.square().mean(new int[] {-1}, true);
        NDArray normed = x32.div(Scalars.add(variance, eps).sqrt());
        NDArray out = normed.getDataType() == type ? normed : normed.toType(type, false);
        return out.mul(weight);
    }
}
