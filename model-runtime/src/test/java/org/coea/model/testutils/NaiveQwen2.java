package org.coea.model.testutils;

import java.util.Map;
import org.coea.model.qwen2.Qwen2Config;

/**
 * An independent Qwen2 forward pass in plain Java doubles and loops, one head at a time, one
 * unpadded sequence, written from the architecture description (PLATFORM.md) and not from the model
 * code: the reference the DJL model is checked against.
 */
public final class NaiveQwen2 {
    private final Qwen2Config c;
    private final Map<String, float[]> w;

    /**
     * @param weights HuggingFace name to row-major values
     */
    public NaiveQwen2(Qwen2Config config, Map<String, float[]> weights) {
        this.c = config;
        this.w = weights;
    }

    /** Logits {@code [T][vocab]} of a token sequence, optionally through LoRA deltas. */
    public double[][] logits(int[] tokens) {
        int t = tokens.length;
        int d = c.hiddenSize();
        double[][] x = new double[t][d];
        float[] emb = w.get("model.embed_tokens.weight");
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = emb[tokens[i] * d + j];
            }
        }
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] h = rmsNorm(x, w.get(p + "input_layernorm.weight"));
            double[][] attn = attention(h, p);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] += attn[i][j];
                }
            }
            double[][] h2 = rmsNorm(x, w.get(p + "post_attention_layernorm.weight"));
            double[][] gate = linear(h2, p + "mlp.gate_proj", c.intermediateSize(), d);
            double[][] up = linear(h2, p + "mlp.up_proj", c.intermediateSize(), d);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < c.intermediateSize(); j++) {
                    double g = gate[i][j];
                    gate[i][j] = g / (1 + Math.exp(-g)) * up[i][j];
                }
            }
            double[][] down = linear(gate, p + "mlp.down_proj", d, c.intermediateSize());
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] += down[i][j];
                }
            }
        }
        double[][] normed = rmsNorm(x, w.get("model.norm.weight"));
        String head = c.tieWordEmbeddings() ? "model.embed_tokens" : "lm_head";
        return linear(normed, head, c.vocabSize(), d);
    }

    private double[][] attention(double[][] h, String p) {
        int t = h.length;
        int hd = c.headDim();
        int kvDim = c.numKeyValueHeads() * hd;
        double[][] q = linear(h, p + "self_attn.q_proj", c.hiddenSize(), c.hiddenSize());
        double[][] k = linear(h, p + "self_attn.k_proj", kvDim, c.hiddenSize());
        double[][] v = linear(h, p + "self_attn.v_proj", kvDim, c.hiddenSize());
        double[][] out = new double[t][c.hiddenSize()];
        for (int head = 0; head < c.numAttentionHeads(); head++) {
            int kvHead = head / c.groups();
            double[][] qh = new double[t][];
            double[][] kh = new double[t][];
            for (int i = 0; i < t; i++) {
                qh[i] = rotate(slice(q[i], head * hd, hd), i);
                kh[i] = rotate(slice(k[i], kvHead * hd, hd), i);
            }
            for (int i = 0; i < t; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int e = 0; e < hd; e++) {
                        dot += qh[i][e] * kh[j][e];
                    }
                    s[j] = dot / Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int e = 0; e < hd; e++) {
                        out[i][head * hd + e] += s[j] / sum * v[j][kvHead * hd + e];
                    }
                }
            }
        }
        return linear(out, p + "self_attn.o_proj", c.hiddenSize(), c.hiddenSize());
    }

    private double[] rotate(double[] x, int position) {
        int hd = x.length;
        int half = hd / 2;
        double[] r = new double[hd];
        for (int i = 0; i < half; i++) {
            double freq = 1.0 / Math.pow(c.ropeTheta(), 2.0 * i / hd);
            double angle = position * freq;
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            r[i] = x[i] * cos - x[i + half] * sin;
            r[i + half] = x[i + half] * cos + x[i] * sin;
        }
        return r;
    }

    private static double[] slice(double[] x, int from, int len) {
        double[] r = new double[len];
        System.arraycopy(x, from, r, 0, len);
        return r;
    }

    private double[][] rmsNorm(double[][] x, float[] weight) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double v : x[i]) {
                ms += v * v;
            }
            ms /= x[i].length;
            double inv = 1.0 / Math.sqrt(ms + c.rmsNormEps());
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j] * inv * weight[j];
            }
        }
        return out;
    }

    /** {@code x W^T + b} (+ LoRA {@code scaling * x A^T B^T} when the weights map holds one). */
    private double[][] linear(double[][] x, String module, int out, int in) {
        float[] weight = w.get(module + ".weight");
        float[] bias = w.get(module + ".bias");
        float[] a = w.get(module + ".lora_A");
        float[] b = w.get(module + ".lora_B");
        float[] scale = w.get(module + ".lora_scaling");
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int j = 0; j < in; j++) {
                    s += x[i][j] * weight[o * in + j];
                }
                y[i][o] = s;
            }
            if (a != null) {
                int r = a.length / in;
                double[] ax = new double[r];
                for (int k = 0; k < r; k++) {
                    for (int j = 0; j < in; j++) {
                        ax[k] += a[k * in + j] * x[i][j];
                    }
                }
                for (int o = 0; o < out; o++) {
                    double s = 0;
                    for (int k = 0; k < r; k++) {
                        s += b[o * r + k] * ax[k];
                    }
                    y[i][o] += scale[0] * s;
                }
            }
        }
        return y;
    }
}
