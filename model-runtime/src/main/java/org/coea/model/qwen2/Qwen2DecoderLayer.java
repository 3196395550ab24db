package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** One pre-norm decoder block: {@code h = x + attn(norm1(x)); out = h + mlp(norm2(h))}. */
public final class Qwen2DecoderLayer {
    final RmsNormBlock inputNorm;
    final Qwen2AttentionBlock attention;
    final RmsNormBlock postAttentionNorm;
    final Qwen2MlpBlock mlp;

    Qwen2DecoderLayer(
            RmsNormBlock inputNorm,
            Qwen2AttentionBlock attention,
            RmsNormBlock postAttentionNorm,
            Qwen2MlpBlock mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    NDArray forward(
            NDArray x,
            RotaryEmbedding rope,
            NDList rotary,
            NDArray mask,
            KvCache cache,
            String adapter) {
        NDArray h =
                x.add(attention.forward(inputNorm.forward(x), rope, rotary, mask, cache, adapter));
        return h.add(mlp.forward(postAttentionNorm.forward(h), adapter));
    }
}
