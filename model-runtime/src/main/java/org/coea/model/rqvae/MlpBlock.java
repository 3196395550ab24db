package org.coea.model.rqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.List;

/**
 * A multi-layer perceptron {@code [B, in] -> [B, out]}: linear layers {@code y = x W^T + b} with
 * {@code W} as {@code [out, in]}, ReLU between them and none after the last.
 */
final class MlpBlock {
    private final List<NDArray> weights;
    private final List<NDArray> biases;

    MlpBlock(List<NDArray> weights, List<NDArray> biases) {
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new IllegalArgumentException("an MLP needs one bias per weight, at least one");
        }
        this.weights = List.copyOf(weights);
        this.biases = List.copyOf(biases);
    }

    /** Applies the layers; intermediate arrays belong to {@code x}'s manager. */
    NDArray forward(NDArray x) {
        NDManager scope = x.getManager();
        NDArray y = x;
        for (int i = 0; i < weights.size(); i++) {
            y = y.matMul(owned(scope, weights.get(i).transpose())).add(biases.get(i));
            if (i < weights.size() - 1) {
                y = Activation.relu(y);
            }
        }
        return y;
    }

    /** Moves an array made from a parameter (which lands on the model's manager) into scope. */
    static NDArray owned(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }
}
