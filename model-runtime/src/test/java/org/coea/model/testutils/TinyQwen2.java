package org.coea.model.testutils;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;

/** Tiny Qwen2 configurations and seeded weights for tests. */
public final class TinyQwen2 {
    private TinyQwen2() {}

    /** vocab 40, d 16, 4 heads over 2 kv heads, MLP 24, 2 layers, untied. */
    public static Qwen2Config config() {
        return new Qwen2Config(40, 16, 24, 2, 4, 2, 1e-6, 10000.0, false, 64);
    }

    /** The same with the given kv heads and tying. */
    public static Qwen2Config config(int kvHeads, boolean tied) {
        return new Qwen2Config(40, 16, 24, 2, 4, kvHeads, 1e-6, 10000.0, tied, 64);
    }

    /**
     * Seeded weights with larger-than-init scale (so every block matters to the logits) and
     * non-zero biases and norms.
     */
    public static Map<String, NDArray> weights(Qwen2Config config, NDManager manager, long seed) {
        Map<String, NDArray> w = Qwen2Model.randomWeights(config, manager, seed, DataType.FLOAT32);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed + 1);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : w.entrySet()) {
            float[] v = e.getValue().toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] =
                        e.getKey().endsWith("norm.weight")
                                        || e.getKey().endsWith("layernorm.weight")
                                ? (float) (1.0 + 0.2 * (r.nextDouble() - 0.5))
                                : (float) ((r.nextDouble() - 0.5) * 0.6);
            }
            out.put(e.getKey(), manager.create(v, e.getValue().getShape()));
            e.getValue().close();
        }
        return out;
    }

    /** The values of weights, for the naive reference. */
    public static Map<String, float[]> values(Map<String, NDArray> weights) {
        Map<String, float[]> v = new LinkedHashMap<>();
        weights.forEach((k, a) -> v.put(k, a.toFloatArray()));
        return v;
    }
}
