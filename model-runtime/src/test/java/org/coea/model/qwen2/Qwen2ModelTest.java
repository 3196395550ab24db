package org.coea.model.qwen2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.coea.model.lora.LoraLinearBlock;
import org.coea.model.lora.LoraWeights;
import org.coea.model.testutils.NaiveQwen2;
import org.coea.model.testutils.TinyQwen2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Qwen2ModelTest {
    private static final int[] TOKENS = {3, 17, 5, 29, 11, 2, 38, 7};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Qwen2Model model(Qwen2Config config, Map<String, NDArray> weights) {
        return Qwen2Model.of(config, manager.newSubManager(), weights);
    }

    private NDArray ids(int[]... rows) {
        long[][] v = new long[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            v[i] = java.util.Arrays.stream(rows[i]).asLongStream().toArray();
        }
        return manager.create(v);
    }

    private NDArray mask(int[]... rows) {
        return ids(rows);
    }

    private static int[] ones(int n) {
        int[] m = new int[n];
        java.util.Arrays.fill(m, 1);
        return m;
    }

    private NDArray logits(Qwen2Model m, NDArray ids, NDArray mask, String adapter) {
        return m.logits(m.forward(ids, mask, Optional.empty(), adapter), adapter);
    }

    @Test
    void matchesTheNaiveReference() {
        for (boolean tied : new boolean[] {false, true}) {
            Qwen2Config config = TinyQwen2.config(2, tied);
            Map<String, NDArray> w = TinyQwen2.weights(config, manager, 11);
            if (tied) {
                w.remove("lm_head.weight");
            }
            double[][] expected = new NaiveQwen2(config, TinyQwen2.values(w)).logits(TOKENS);
            Qwen2Model m = model(config, w);
            float[] actual =
                    logits(m, ids(TOKENS), mask(ones(TOKENS.length)), Qwen2Model.BASE)
                            .toFloatArray();
            assertClose(actual, expected, 1e-4, "tied=" + tied);
        }
    }

    @Test
    void kvCacheStepsEqualTheFullSequence() {
        Qwen2Config config = TinyQwen2.config();
        Qwen2Model m = model(config, TinyQwen2.weights(config, manager, 12));
        float[] full =
                logits(m, ids(TOKENS), mask(ones(TOKENS.length)), Qwen2Model.BASE).toFloatArray();
        int v = config.vocabSize();
        try (KvCache cache = new KvCache(config.numHiddenLayers())) {
            // A prompt of 3 tokens, then one token at a time.
            int[] prompt = {TOKENS[0], TOKENS[1], TOKENS[2]};
            NDArray h = m.forward(ids(prompt), mask(ones(3)), Optional.of(cache), Qwen2Model.BASE);
            float[] first = m.logits(h, Qwen2Model.BASE).toFloatArray();
            assertClose(first, slice(full, 0, 3 * v), 1e-5, "prompt");
            for (int i = 3; i < TOKENS.length; i++) {
                NDArray step =
                        m.forward(
                                ids(new int[] {TOKENS[i]}),
                                mask(ones(i + 1)),
                                Optional.of(cache),
                                Qwen2Model.BASE);
                assertClose(
                        m.logits(step, Qwen2Model.BASE).toFloatArray(),
                        slice(full, i * v, v),
                        1e-5,
                        "step " + i);
            }
            assertThat(cache.length()).isEqualTo(TOKENS.length);
        }
    }

    @Test
    void paddedBatchesEqualUnbatchedRows() {
        Qwen2Config config = TinyQwen2.config();
        Qwen2Model m = model(config, TinyQwen2.weights(config, manager, 13));
        int[] shorter = {9, 4, 33, 21, 8};
        float[] longAlone = logits(m, ids(TOKENS), mask(ones(8)), Qwen2Model.BASE).toFloatArray();
        float[] shortAlone = logits(m, ids(shorter), mask(ones(5)), Qwen2Model.BASE).toFloatArray();
        int v = config.vocabSize();

        // Right padding: the short row's first 5 positions.
        NDArray right =
                logits(
                        m,
                        ids(TOKENS, new int[] {9, 4, 33, 21, 8, 0, 0, 0}),
                        mask(ones(8), new int[] {1, 1, 1, 1, 1, 0, 0, 0}),
                        Qwen2Model.BASE);
        assertClose(right.get(0).toFloatArray(), toDouble(longAlone), 1e-5, "right, long row");
        assertClose(
                right.get(1).get("0:5").toFloatArray(),
                toDouble(shortAlone),
                1e-5,
                "right, short row");

        // Left padding: the short row's last 5 positions.
        NDArray left =
                logits(
                        m,
                        ids(TOKENS, new int[] {0, 0, 0, 9, 4, 33, 21, 8}),
                        mask(ones(8), new int[] {0, 0, 0, 1, 1, 1, 1, 1}),
                        Qwen2Model.BASE);
        assertClose(left.get(0).toFloatArray(), toDouble(longAlone), 1e-5, "left, long row");
        assertClose(
                left.get(1).get("3:").toFloatArray(),
                toDouble(shortAlone),
                1e-5,
                "left, short row");
        assertThat(v).isPositive();
    }

    @Test
    void groupedQueryAttentionEqualsItsExpandedForm() {
        Qwen2Config gqa = TinyQwen2.config(1, false);
        Map<String, NDArray> w = TinyQwen2.weights(gqa, manager, 14);
        Map<String, NDArray> expanded = new LinkedHashMap<>();
        int heads = gqa.numAttentionHeads();
        for (Map.Entry<String, NDArray> e : w.entrySet()) {
            String k = e.getKey();
            NDArray a = e.getValue();
            if (k.contains("k_proj") || k.contains("v_proj")) {
                NDList copies = new NDList();
                for (int h = 0; h < heads; h++) {
                    copies.add(a);
                }
                expanded.put(k, NDArrays.concat(copies, 0));
            } else {
                expanded.put(k, a.duplicate());
            }
        }
        Qwen2Config full = TinyQwen2.config(heads, false);
        float[] a =
                logits(model(gqa, w), ids(TOKENS), mask(ones(8)), Qwen2Model.BASE).toFloatArray();
        float[] b =
                logits(model(full, expanded), ids(TOKENS), mask(ones(8)), Qwen2Model.BASE)
                        .toFloatArray();
        assertClose(a, toDouble(b), 1e-5, "gqa vs expanded");
    }

    @Test
    void loraAdaptersMatchTheReferenceSwitchPerCallAndMerge() {
        Qwen2Config config = TinyQwen2.config();
        Map<String, NDArray> w = TinyQwen2.weights(config, manager, 15);
        Map<String, float[]> reference = TinyQwen2.values(w);
        Qwen2Model m = model(config, w);
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int rank = 2;
        for (String module :
                new String[] {
                    "model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj", "lm_head"
                }) {
            LoraLinearBlock layer = m.linearLayers().get(module);
            int in = (int) layer.inFeatures();
            int out = (int) layer.outFeatures();
            float[] a = random(r, rank * in);
            float[] b = random(r, out * rank);
            layer.putAdapter(
                    "cycle-1",
                    new LoraWeights(
                            manager.create(a, new Shape(rank, in)),
                            manager.create(b, new Shape(out, rank)),
                            0.75));
            reference.put(module + ".lora_A", a);
            reference.put(module + ".lora_B", b);
            reference.put(module + ".lora_scaling", new float[] {0.75f});
        }
        double[][] expected = new NaiveQwen2(config, reference).logits(TOKENS);
        float[] adapted = logits(m, ids(TOKENS), mask(ones(8)), "cycle-1").toFloatArray();
        assertClose(adapted, expected, 1e-4, "adapter vs reference");

        float[] base = logits(m, ids(TOKENS), mask(ones(8)), Qwen2Model.BASE).toFloatArray();
        assertThat(maxAbsDiff(base, adapted)).isGreaterThan(1e-2);

        for (LoraLinearBlock layer : m.linearLayers().values()) {
            if (layer.adapters().containsKey("cycle-1")) {
                layer.merge("cycle-1");
            }
        }
        float[] merged = logits(m, ids(TOKENS), mask(ones(8)), "cycle-1").toFloatArray();
        assertClose(merged, toDouble(adapted), 1e-5, "merged vs unmerged");
        assertThatThrownBy(() -> logits(m, ids(TOKENS), mask(ones(8)), Qwen2Model.BASE))
                .hasMessageContaining("merged");
        for (LoraLinearBlock layer : m.linearLayers().values()) {
            if (layer.merged().isPresent()) {
                layer.unmerge("cycle-1");
            }
        }
        assertClose(
                logits(m, ids(TOKENS), mask(ones(8)), Qwen2Model.BASE).toFloatArray(),
                toDouble(base),
                1e-5,
                "unmerged base");
    }

    @Test
    void rewardReadsTheLastRealTokenWhateverThePadding() {
        Qwen2Config config = TinyQwen2.config();
        Qwen2Model m = model(config, TinyQwen2.weights(config, manager, 16));
        m.newRewardHead(5);
        int[] row = {9, 4, 33, 21, 8};
        NDArray alone =
                m.reward(
                        m.forward(ids(row), mask(ones(5)), Optional.empty(), Qwen2Model.BASE),
                        mask(ones(5)));
        NDArray rightMask = mask(new int[] {1, 1, 1, 1, 1, 0, 0});
        NDArray right =
                m.reward(
                        m.forward(
                                ids(new int[] {9, 4, 33, 21, 8, 0, 0}),
                                rightMask,
                                Optional.empty(),
                                Qwen2Model.BASE),
                        rightMask);
        NDArray leftMask = mask(new int[] {0, 0, 1, 1, 1, 1, 1});
        NDArray left =
                m.reward(
                        m.forward(
                                ids(new int[] {0, 0, 9, 4, 33, 21, 8}),
                                leftMask,
                                Optional.empty(),
                                Qwen2Model.BASE),
                        leftMask);
        // Independent: the head applied to the hidden state of the last token of the unpadded row.
        NDArray hidden = m.forward(ids(row), mask(ones(5)), Optional.empty(), Qwen2Model.BASE);
        float[] h = hidden.get("0, 4").toFloatArray();
        float[] s = m.rewardHead().orElseThrow().toFloatArray();
        double expected = 0;
        for (int i = 0; i < h.length; i++) {
            expected += h[i] * s[i];
        }
        assertThat((double) alone.getFloat(0))
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        assertThat((double) right.getFloat(0))
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        assertThat((double) left.getFloat(0))
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void rejectsMissingAndMisshapenWeights() {
        Qwen2Config config = TinyQwen2.config();
        Map<String, NDArray> w = TinyQwen2.weights(config, manager, 17);
        w.remove("model.layers.1.mlp.up_proj.weight");
        assertThatThrownBy(() -> model(config, w))
                .hasMessageContaining("missing Qwen2 weight model.layers.1.mlp.up_proj.weight");
        Map<String, NDArray> w2 = TinyQwen2.weights(config, manager, 17);
        w2.put("model.norm.weight", manager.ones(new Shape(3)));
        assertThatThrownBy(() -> model(config, w2))
                .hasMessageContaining("model.norm.weight")
                .hasMessageContaining("(3)");
    }

    static float[] random(java.util.SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static double[] slice(float[] v, int from, int len) {
        double[] d = new double[len];
        for (int i = 0; i < len; i++) {
            d[i] = v[from + i];
        }
        return d;
    }

    static void assertClose(float[] actual, double[][] expected, double tol, String what) {
        int cols = expected[0].length;
        double[] flat = new double[expected.length * cols];
        for (int i = 0; i < expected.length; i++) {
            System.arraycopy(expected[i], 0, flat, i * cols, cols);
        }
        assertClose(actual, flat, tol, what);
    }

    static void assertClose(float[] actual, double[] expected, double tol, String what) {
        assertThat(actual).as(what + ": length").hasSize(expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            if (diff > worst) {
                worst = diff;
                at = i;
            }
        }
        assertThat(worst).as("%s: max |diff| at %d", what, at).isLessThanOrEqualTo(tol);
    }
}
