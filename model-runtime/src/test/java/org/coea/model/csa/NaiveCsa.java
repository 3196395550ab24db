package org.coea.model.csa;

import java.util.Map;

/**
 * An independent forward pass of the CSA encoder in plain Java doubles and loops, one unpadded user
 * at a time, written from the description (METHOD.md, Eq. 1 / 4 / 5, and the package's stated
 * interpretations) rather than from the DJL code: the reference the encoder is checked against.
 */
final class NaiveCsa {
    private final CsaConfig c;
    private final Map<String, float[]> w;

    NaiveCsa(CsaConfig config, Map<String, float[]> weights) {
        this.c = config;
        this.w = weights;
    }

    /** Outputs {@code [T + 1][d]} for a history of T items (no padding) and feature ids. */
    double[][] forward(int[] history, int[] features) {
        int d = c.hidden();
        int t = history.length;
        double[][] x = new double[t + 1][d];
        float[] fe = w.get("feature_embedding.weight");
        int present = 0;
        for (int v : features) {
            if (v > 0) {
                present++;
                for (int j = 0; j < d; j++) {
                    x[0][j] += fe[v * d + j];
                }
            }
        }
        for (int j = 0; j < d && present > 0; j++) {
            x[0][j] /= present;
        }
        float[] ie = w.get("item_embedding.weight");
        float[] pe = w.get("position_embedding.weight");
        for (int i = 0; i <= t; i++) {
            int position = i == 0 ? 0 : c.maxLength() - t + i;
            for (int j = 0; j < d; j++) {
                if (i > 0) {
                    x[i][j] += ie[history[i - 1] * d + j];
                }
                x[i][j] += pe[position * d + j];
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            String p = "blocks." + l + ".";
            double[][] a = attention(layerNorm(x, p + "attention_norm"), p + "attention.");
            add(x, a);
            double[][] h = linear(layerNorm(x, p + "ffn_norm"), p + "ffn.up");
            for (double[] row : h) {
                for (int j = 0; j < d; j++) {
                    row[j] = Math.max(0, row[j]);
                }
            }
            add(x, linear(h, p + "ffn.down"));
        }
        return layerNorm(x, "final_norm");
    }

    private double[][] attention(double[][] x, String p) {
        int n = x.length;
        int d = c.hidden();
        int hd = c.headDim();
        double[][] q = linear(x, p + "q");
        double[][] k = linear(x, p + "k");
        double[][] v = linear(x, p + "v");
        double[][] out = new double[n][d];
        for (int h = 0; h < c.heads(); h++) {
            for (int i = 0; i < n; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int e = 0; e < hd; e++) {
                        dot += q[i][h * hd + e] * k[j][h * hd + e];
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
                        out[i][h * hd + e] += s[j] / sum * v[j][h * hd + e];
                    }
                }
            }
        }
        return linear(out, p + "o");
    }

    private double[][] linear(double[][] x, String module) {
        float[] wt = w.get(module + ".weight");
        float[] b = w.get(module + ".bias");
        int d = c.hidden();
        double[][] y = new double[x.length][d];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < d; o++) {
                double s = b[o];
                for (int in = 0; in < d; in++) {
                    s += x[i][in] * wt[o * d + in];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String module) {
        float[] g = w.get(module + ".weight");
        float[] b = w.get(module + ".bias");
        int d = c.hidden();
        double[][] y = new double[x.length][d];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v / d;
            }
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean) / d;
            }
            for (int j = 0; j < d; j++) {
                y[i][j] = (x[i][j] - mean) / Math.sqrt(var + 1e-5) * g[j] + b[j];
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += y[i][j];
            }
        }
    }
}
