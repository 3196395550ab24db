package org.coea.model.csa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Packs Java histories and feature ids into the encoder's left-padded int64 inputs. */
final class Batches {
    private Batches() {}

    /** Encoder inputs: items {@code [B, T]} and features {@code [B, F]}, int64. */
    record Packed(NDArray items, NDArray features) {}

    /**
     * Keeps the last {@code maxLength} items of each history and left-pads them to the longest kept
     * length T of the batch ({@code 1 <= T <= maxLength}).
     */
    static Packed pack(NDManager m, CsaConfig config, List<int[]> histories, List<int[]> features) {
        int b = histories.size();
        if (b == 0 || features.size() != b) {
            throw new IllegalArgumentException(
                    "need one feature row per history and at least one history, got "
                            + b
                            + " histories and "
                            + features.size()
                            + " feature rows");
        }
        int t = 1;
        for (int[] h : histories) {
            t = Math.max(t, Math.min(h.length, config.maxLength()));
        }
        long[] items = new long[b * t];
        int f = config.numFeatureFields();
        long[] feats = new long[b * f];
        for (int row = 0; row < b; row++) {
            int[] h = histories.get(row);
            int kept = Math.min(h.length, t);
            for (int j = 0; j < kept; j++) {
                items[row * t + t - kept + j] = checkItem(config, h[h.length - kept + j]);
            }
            int[] x = features.get(row);
            checkFeatures(config, x);
            for (int j = 0; j < f; j++) {
                feats[row * f + j] = x[j];
            }
        }
        return new Packed(m.create(items, new Shape(b, t)), m.create(feats, new Shape(b, f)));
    }

    static int checkItem(CsaConfig config, int item) {
        if (item < 1 || item > config.numItems()) {
            throw new IllegalArgumentException(
                    "item id " + item + " outside 1.." + config.numItems());
        }
        return item;
    }

    static void checkFeatures(CsaConfig config, int[] features) {
        if (features.length != config.numFeatureFields()) {
            throw new IllegalArgumentException(
                    "expected "
                            + config.numFeatureFields()
                            + " feature ids per user, got "
                            + features.length);
        }
        for (int v : features) {
            if (v < 0 || v > config.numFeatureValues()) {
                throw new IllegalArgumentException(
                        "feature id " + v + " outside 0.." + config.numFeatureValues());
            }
        }
    }
}
