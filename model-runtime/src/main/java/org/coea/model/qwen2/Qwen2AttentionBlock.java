package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.coea.model.lora.LoraLinearBlock;
import org.coea.model.nd.Precision;
import org.coea.model.nd.Scalars;

/**
 * Grouped-query self-attention of Qwen2 (Eq. 1 / 5 in the causal form): q/k/v projections with
 * bias, rotary positions, each key/value head shared by {@code groups} query heads, softmax in
 * fp32, output projection without bias. Input and output {@code [B, T, d]}.
 */
public final class Qwen2AttentionBlock {
    private final Qwen2Config config;
    private final int layer;
    final LoraLinearBlock q;
    final LoraLinearBlock k;
    final LoraLinearBlock v;
    final LoraLinearBlock o;

    Qwen2AttentionBlock(
            Qwen2Config config,
            int layer,
            LoraLinearBlock q,
            LoraLinearBlock k,
            LoraLinearBlock v,
            LoraLinearBlock o) {
        this.config = config;
        this.layer = layer;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
    }

    /**
     * @param x {@code [B, T, d]}
     * @param rotary the rotary tables from {@link RotaryEmbedding#cosSin}
     * @param mask additive fp32 mask {@code [B, 1, T, S]} (0 where visible, very negative
     *     elsewhere)
     * @param cache the KV cache to extend, or null
     * @param adapter the LoRA adapter to apply, {@code ""} for none
     */
    NDArray forward(
            NDArray x,
            RotaryEmbedding rope,
            NDList rotary,
            NDArray mask,
            KvCache cache,
            String adapter) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int hd = config.headDim();
        NDArray qs = heads(q.forward(x, adapter), b, t, config.numAttentionHeads(), hd);
        NDArray ks = heads(k.forward(x, adapter), b, t, config.numKeyValueHeads(), hd);
        NDArray vs = heads(v.forward(x, adapter), b, t, config.numKeyValueHeads(), hd);
        qs = rope.apply(qs, rotary.get(0), rotary.get(1));
        ks = rope.apply(ks, rotary.get(0), rotary.get(1));
        if (cache != null) {
            NDList full = cache.append(layer, ks, vs);
            ks = full.get(0);
            vs = full.get(1);
        }
        if (config.groups() > 1) {
            ks = ks.repeat(1, config.groups());
            vs = vs.repeat(1, config.groups());
        }
        DataType type = x.getDataType();
        NDArray scores = Precision.widen(qs.matMul(ks.transpose(0, 1, 3, 2)));
        scores =
                Scalars.mul(scores, 1.0 / Math.sqrt(hd))
                        .add(
                                mask.getDataType() == scores.getDataType()
                                        ? mask
                                        : mask.toType(scores.getDataType(), false));
        NDArray probs = scores.softmax(-1);
        // Casting back only for half precision: toType detaches from autograd in DJL 0.33.
        probs = probs.getDataType() == type ? probs : probs.toType(type, false);
        NDArray out =
                probs.matMul(vs)
                        .transpose(0, 2, 1, 3)
                        .reshape(new Shape(b, t, (long) config.numAttentionHeads() * hd));
        return o.forward(out, adapter);
    }

    private static NDArray heads(NDArray x, long b, long t, int heads, int hd) {
        return x.reshape(new Shape(b, t, heads, hd)).transpose(0, 2, 1, 3);
    }
}
