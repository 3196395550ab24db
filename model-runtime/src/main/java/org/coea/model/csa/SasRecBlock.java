package org.coea.model.csa;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm SASRec block: {@code x = x + Dropout(Attn(LN_1(x)))}, {@code x = x +
 * Dropout(FFN(LN_2(x)))}, then padding positions zeroed so that they carry nothing into the next
 * block. Input and output {@code [B, S, d]}.
 */
final class SasRecBlock {
    private final LayerNormBlock attentionNorm;
    private final CausalSelfAttentionBlock attention;
    private final LayerNormBlock ffnNorm;
    private final FeedForwardBlock ffn;
    private final double dropout;

    SasRecBlock(
            LayerNormBlock attentionNorm,
            CausalSelfAttentionBlock attention,
            LayerNormBlock ffnNorm,
            FeedForwardBlock ffn,
            double dropout) {
        this.attentionNorm = attentionNorm;
        this.attention = attention;
        this.ffnNorm = ffnNorm;
        this.ffn = ffn;
        this.dropout = dropout;
    }

    /**
     * @param x {@code [B, S, d]}
     * @param mask additive attention mask {@code [B, 1, S, S]}
     * @param keep {@code [B, S, 1]}: 1 for real positions, 0 for padding
     */
    NDArray forward(NDArray x, NDArray mask, NDArray keep, boolean training) {
        NDArray a = attention.forward(attentionNorm.forward(x), mask, training);
        x = x.add(CsaEncoder.dropout(a, dropout, training));
        NDArray f = ffn.forward(ffnNorm.forward(x), training);
        x = x.add(CsaEncoder.dropout(f, dropout, training));
        return x.mul(keep);
    }
}
