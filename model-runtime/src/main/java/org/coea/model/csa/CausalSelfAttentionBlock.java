package org.coea.model.csa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.coea.model.nd.Scalars;

/**
 * Multi-head causal self-attention, Eq. 1 / 5: per head {@code A = softmax(Q K^T / sqrt(d_h) +
 * Mask) V} with {@code Q, K, V = Z W_Q, Z W_K, Z W_V}, the heads concatenated and projected by
 * {@code W_O}. Input and output {@code [B, S, d]}; the additive mask {@code [B, 1, S, S]} is 0
 * where query i may read key j (j <= i and j not padding) and very negative elsewhere.
 */
final class CausalSelfAttentionBlock {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final int heads;
    private final double dropout;

    CausalSelfAttentionBlock(Linear q, Linear k, Linear v, Linear o, int heads, double dropout) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.dropout = dropout;
    }

    NDArray forward(NDArray x, NDArray mask, boolean training) {
        long b = x.getShape().get(0);
        long s = x.getShape().get(1);
        long d = x.getShape().get(2);
        long hd = d / heads;
        NDArray qs = split(q.forward(x), b, s, hd);
        NDArray ks = split(k.forward(x), b, s, hd);
        NDArray vs = split(v.forward(x), b, s, hd);
        NDArray scores = Scalars.mul(qs.matMul(ks.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(hd));
        NDArray probs = CsaEncoder.dropout(scores.add(mask).softmax(-1), dropout, training);
        NDArray out = probs.matMul(vs).transpose(0, 2, 1, 3).reshape(new Shape(b, s, d));
        return o.forward(out);
    }

    private NDArray split(NDArray x, long b, long s, long hd) {
        return x.reshape(new Shape(b, s, heads, hd)).transpose(0, 2, 1, 3);
    }
}
