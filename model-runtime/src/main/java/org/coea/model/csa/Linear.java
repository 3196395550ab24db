package org.coea.model.csa;

import ai.djl.ndarray.NDArray;

/**
 * A dense layer {@code y = x W^T + b}; input {@code [..., in]}, output {@code [..., out]}, weight
 * {@code [out, in]} as in PyTorch. The result belongs to the input's manager, so a forward pass
 * leaves nothing on the manager that owns the weights.
 */
final class Linear {
    private final NDArray weight;
    private final NDArray bias;

    Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).head();
    }
}
