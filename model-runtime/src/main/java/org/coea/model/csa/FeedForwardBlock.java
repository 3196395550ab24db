package org.coea.model.csa;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The position-wise feed-forward network of a SASRec block: {@code ReLU(x W_1 + b_1) W_2 + b_2},
 * both layers {@code d x d} as in SASRec. Input and output {@code [B, S, d]}.
 */
final class FeedForwardBlock {
    private final Linear up;
    private final Linear down;
    private final double dropout;

    FeedForwardBlock(Linear up, Linear down, double dropout) {
        this.up = up;
        this.down = down;
        this.dropout = dropout;
    }

    NDArray forward(NDArray x, boolean training) {
        return down.forward(CsaEncoder.dropout(Activation.relu(up.forward(x)), dropout, training));
    }
}
