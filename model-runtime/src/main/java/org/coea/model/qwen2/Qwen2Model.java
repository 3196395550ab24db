package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.coea.model.lora.LoraLinearBlock;
import org.coea.model.nd.Precision;
import org.coea.model.nd.Scalars;

/**
 * A Qwen2 decoder-only language model: token embedding, pre-norm decoder layers, final RMSNorm,
 * {@code lm_head} (or the tied embedding), and an optional scalar reward head ({@code score}) on
 * the last non-pad token for the Relevance model (Eq. 12-13).
 *
 * <p>Weights carry their HuggingFace names ({@link #parameters()}); every linear layer is a {@link
 * LoraLinearBlock}, so LoRA adapters can be attached to any of them and chosen per call. Inputs are
 * batched {@code [B, T]} int64 token ids with a {@code [B, S]} attention mask (1 = token, 0 =
 * padding; left or right padding), {@code S} = cached + new positions.
 */
public final class Qwen2Model implements AutoCloseable {
    /** The adapter name meaning "base weights only". */
    public static final String BASE = "";

    /**
     * Name of the reward head weight {@code [1, d]} (HuggingFace Qwen2ForSequenceClassification).
     */
    public static final String SCORE = "score.weight";

    private static final double MASKED = -1e30;

    private final Qwen2Config config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final NDArray embed;
    private final List<Qwen2DecoderLayer> layers;
    private final RmsNormBlock norm;
    private final LoraLinearBlock lmHead;
    private final RotaryEmbedding rope;
    private final Map<String, LoraLinearBlock> linears;
    private NDArray score;

    private Qwen2Model(Qwen2Config config, NDManager manager, Map<String, NDArray> weights) {
        this.config = config;
        this.manager = manager;
        this.parameters = new LinkedHashMap<>();
        this.linears = new LinkedHashMap<>();
        this.embed =
                take(weights, "model.embed_tokens.weight", config.vocabSize(), config.hiddenSize());
        List<Qwen2DecoderLayer> ls = new ArrayList<>();
        int d = config.hiddenSize();
        int kv = config.numKeyValueHeads() * config.headDim();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            RmsNormBlock in =
                    new RmsNormBlock(
                            take(weights, p + "input_layernorm.weight", d), config.rmsNormEps());
            Qwen2AttentionBlock attn =
                    new Qwen2AttentionBlock(
                            config,
                            i,
                            linear(weights, p + "self_attn.q_proj", d, d, true),
                            linear(weights, p + "self_attn.k_proj", kv, d, true),
                            linear(weights, p + "self_attn.v_proj", kv, d, true),
                            linear(weights, p + "self_attn.o_proj", d, d, false));
            RmsNormBlock post =
                    new RmsNormBlock(
                            take(weights, p + "post_attention_layernorm.weight", d),
                            config.rmsNormEps());
            int m = config.intermediateSize();
            Qwen2MlpBlock mlp =
                    new Qwen2MlpBlock(
                            linear(weights, p + "mlp.gate_proj", m, d, false),
                            linear(weights, p + "mlp.up_proj", m, d, false),
                            linear(weights, p + "mlp.down_proj", d, m, false));
            ls.add(new Qwen2DecoderLayer(in, attn, post, mlp));
        }
        this.layers = Collections.unmodifiableList(ls);
        this.norm = new RmsNormBlock(take(weights, "model.norm.weight", d), config.rmsNormEps());
        if (config.tieWordEmbeddings()) {
            weights.remove("lm_head.weight");
            this.lmHead = new LoraLinearBlock("lm_head", embed, Optional.empty());
            linears.put("lm_head", lmHead);
        } else {
            this.lmHead = linear(weights, "lm_head", config.vocabSize(), d, false);
        }
        if (weights.containsKey(SCORE)) {
            this.score = take(weights, SCORE, 1, d);
        }
        weights.keySet().removeIf(n -> n.endsWith("rotary_emb.inv_freq"));
        if (!weights.isEmpty()) {
            throw new IllegalArgumentException("unexpected Qwen2 weights: " + weights.keySet());
        }
        this.rope = new RotaryEmbedding(config.headDim(), config.ropeTheta());
    }

    /**
     * A model over the given weights (HuggingFace names), which it takes over: they are attached to
     * {@code manager}, which the model closes.
     *
     * @throws IllegalArgumentException naming a missing, misshapen or unexpected weight
     */
    public static Qwen2Model of(
            Qwen2Config config, NDManager manager, Map<String, NDArray> weights) {
        Map<String, NDArray> w = new LinkedHashMap<>(weights);
        w.values().forEach(a -> a.attach(manager));
        return new Qwen2Model(config, manager, w);
    }

    /**
     * Random weights for training from scratch, as HuggingFace initialises Qwen2: normal(0, 0.02)
     * matrices, zero biases, unit norms. Deterministic for a seed (drawn in Java).
     */
    public static Map<String, NDArray> randomWeights(
            Qwen2Config config, NDManager manager, long seed, DataType type) {
        Map<String, NDArray> w = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        int d = config.hiddenSize();
        int kv = config.numKeyValueHeads() * config.headDim();
        int m = config.intermediateSize();
        w.put("model.embed_tokens.weight", normal(manager, random, type, config.vocabSize(), d));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            w.put(p + "input_layernorm.weight", manager.ones(new Shape(d), type));
            w.put(p + "self_attn.q_proj.weight", normal(manager, random, type, d, d));
            w.put(p + "self_attn.q_proj.bias", manager.zeros(new Shape(d), type));
            w.put(p + "self_attn.k_proj.weight", normal(manager, random, type, kv, d));
            w.put(p + "self_attn.k_proj.bias", manager.zeros(new Shape(kv), type));
            w.put(p + "self_attn.v_proj.weight", normal(manager, random, type, kv, d));
            w.put(p + "self_attn.v_proj.bias", manager.zeros(new Shape(kv), type));
            w.put(p + "self_attn.o_proj.weight", normal(manager, random, type, d, d));
            w.put(p + "post_attention_layernorm.weight", manager.ones(new Shape(d), type));
            w.put(p + "mlp.gate_proj.weight", normal(manager, random, type, m, d));
            w.put(p + "mlp.up_proj.weight", normal(manager, random, type, m, d));
            w.put(p + "mlp.down_proj.weight", normal(manager, random, type, d, m));
        }
        w.put("model.norm.weight", manager.ones(new Shape(d), type));
        if (!config.tieWordEmbeddings()) {
            w.put("lm_head.weight", normal(manager, random, type, config.vocabSize(), d));
        }
        return w;
    }

    private static NDArray normal(
            NDManager manager, SplittableRandom random, DataType type, long rows, long cols) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(random) * 0.02);
        }
        return manager.create(v, new Shape(rows, cols)).toType(type, false);
    }

    /** A standard normal draw (Box-Muller), stable across Java versions. */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private NDArray take(Map<String, NDArray> weights, String name, long... shape) {
        NDArray a = weights.remove(name);
        if (a == null) {
            throw new IllegalArgumentException("missing Qwen2 weight " + name);
        }
        if (!a.getShape().equals(new Shape(shape))) {
            throw new IllegalArgumentException(
                    "Qwen2 weight "
                            + name
                            + " has shape "
                            + a.getShape()
                            + ", expected "
                            + new Shape(shape));
        }
        parameters.put(name, a);
        return a;
    }

    private LoraLinearBlock linear(
            Map<String, NDArray> weights, String module, long out, long in, boolean bias) {
        NDArray w = take(weights, module + ".weight", out, in);
        Optional<NDArray> b =
                bias ? Optional.of(take(weights, module + ".bias", out)) : Optional.empty();
        LoraLinearBlock block = new LoraLinearBlock(module, w, b);
        linears.put(module, block);
        return block;
    }

    /** The architecture. */
    public Qwen2Config config() {
        return config;
    }

    /** The manager owning the weights. */
    public NDManager manager() {
        return manager;
    }

    /** The weights' data type. */
    public DataType dataType() {
        return embed.getDataType();
    }

    /**
     * The base weights by HuggingFace name (plus {@link #SCORE} when present), in checkpoint order.
     */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> all = new LinkedHashMap<>(parameters);
        if (score != null) {
            all.put(SCORE, score);
        }
        return Collections.unmodifiableMap(all);
    }

    /**
     * Every linear layer by module name ({@code model.layers.0.self_attn.q_proj}, ..., {@code
     * lm_head}).
     */
    public Map<String, LoraLinearBlock> linearLayers() {
        return Collections.unmodifiableMap(linears);
    }

    /** The reward head weight {@code [1, d]}, if the model has one. */
    public Optional<NDArray> rewardHead() {
        return Optional.ofNullable(score);
    }

    /** Adds a reward head, normal(0, 0.02) initialised, or replaces it with the given weight. */
    public NDArray setRewardHead(NDArray weight) {
        if (!weight.getShape().equals(new Shape(1, config.hiddenSize()))) {
            throw new IllegalArgumentException(
                    "reward head must be [1, "
                            + config.hiddenSize()
                            + "], got "
                            + weight.getShape());
        }
        weight.attach(manager);
        if (score != null && score != weight) {
            score.close();
        }
        score = weight;
        return weight;
    }

    /** A fresh normal(0, 0.02) reward head weight. */
    public NDArray newRewardHead(long seed) {
        return setRewardHead(
                normal(manager, new SplittableRandom(seed), dataType(), 1, config.hiddenSize()));
    }

    /**
     * Runs the decoder and returns the final hidden states {@code [B, T, d]} (after the last norm).
     *
     * @param inputIds int64 {@code [B, T]}
     * @param attentionMask {@code [B, S]} with S = cached length + T; 1 for tokens, 0 for padding
     * @param cache a KV cache to read and extend, or empty
     * @param adapter the LoRA adapter to apply ({@link #BASE} for none)
     */
    public NDArray forward(
            NDArray inputIds, NDArray attentionMask, Optional<KvCache> cache, String adapter) {
        Objects.requireNonNull(adapter, "adapter");
        NDManager m = inputIds.getManager();
        long t = inputIds.getShape().get(1);
        long s = attentionMask.getShape().get(1);
        long past = cache.map(KvCache::length).orElse(0L);
        if (past + t != s) {
            throw new IllegalArgumentException(
                    "attention mask covers "
                            + s
                            + " positions but cache + input have "
                            + (past + t));
        }
        NDArray maskLong = attentionMask.toType(DataType.INT64, false);
        // Positions count real tokens only, so left padding does not shift them (as HuggingFace).
        NDArray positions = maskLong.cumSum(1).sub(maskLong.onesLike()).maximum(0);
        positions = positions.get(":, " + past + ":");
        NDList rotary = rope.cosSin(m, positions, dataType());
        NDArray additive = additiveMask(m, maskLong, t, s, past);

        NDArray x = embed(inputIds);
        for (Qwen2DecoderLayer layer : layers) {
            x = layer.forward(x, rope, rotary, additive, cache.orElse(null), adapter);
        }
        return norm.forward(x);
    }

    /**
     * The logits {@code [B, T, vocab]} of hidden states, through {@code lm_head} with the adapter.
     */
    public NDArray logits(NDArray hidden, String adapter) {
        return lmHead.forward(hidden, adapter);
    }

    /**
     * The scalar reward r(x) (Eq. 12) of each row: the reward head applied to the hidden state of
     * the row's last non-pad token. Returns {@code [B]} in fp32.
     */
    public NDArray reward(NDArray hidden, NDArray attentionMask) {
        if (score == null) {
            throw new IllegalStateException(
                    "the model has no reward head: call newRewardHead or load one");
        }
        long t = hidden.getShape().get(1);
        long s = attentionMask.getShape().get(1);
        NDArray mask = attentionMask.get(":, " + (s - t) + ":").toType(DataType.INT64, false);
        NDArray last1 =
                mask.mul(hidden.getManager().arange(1L, t + 1L).toType(DataType.INT64, false))
                        .max(new int[] {1});
        NDArray idx = last1.sub(last1.onesLike()).maximum(0);
        long d = hidden.getShape().get(2);
        NDArray gatherIdx =
                idx.reshape(-1, 1, 1).broadcast(new Shape(hidden.getShape().get(0), 1, d));
        NDArray last = hidden.gather(gatherIdx, 1).reshape(-1, d);
        return Precision.widen(last.matMul(score.transpose()).reshape(-1));
    }

    private NDArray embed(NDArray ids) {
        return ids.getNDArrayInternal().embedding(ids, embed, SparseFormat.DENSE).head();
    }

    private static NDArray additiveMask(NDManager m, NDArray maskLong, long t, long s, long past) {
        NDArray keyIdx = m.arange(0L, s).toType(DataType.INT64, false).reshape(1, s);
        NDArray queryIdx = m.arange(past, past + t).toType(DataType.INT64, false).reshape(t, 1);
        NDArray causal = keyIdx.lte(queryIdx).reshape(1, 1, t, s);
        NDArray padding = maskLong.gt(0).reshape(maskLong.getShape().get(0), 1, 1, s);
        NDArray visible = causal.logicalAnd(padding).toType(DataType.FLOAT32, false);
        // 0 where visible, MASKED elsewhere: (visible - 1) * -MASKED.
        return Scalars.mul(Scalars.sub(visible, 1.0), -MASKED);
    }

    @Override
    public void close() {
        manager.close();
    }
}
