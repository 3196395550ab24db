package org.coea.model.csa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Next-item training examples, one per user with at least one item: the last {@code L + 1} items
 * {@code w_0..w_n-1} of the sequence; the input holds {@code w_0..w_n-2} right-aligned in L columns
 * (left-padded), and the targets {@code [L + 1]} are {@code w_0} for the feature token (position 0)
 * and {@code w_k+1} for the position of {@code w_k}, 0 (ignored) for padding.
 */
final class NextItemExamples {
    private final int length;
    private final int fields;
    private final long[][] inputs;
    private final long[][] targets;
    private final long[][] features;

    private NextItemExamples(int length, int fields, long[][] in, long[][] tg, long[][] ft) {
        this.length = length;
        this.fields = fields;
        this.inputs = in;
        this.targets = tg;
        this.features = ft;
    }

    /** The examples of the users whose sequence is not empty. */
    static NextItemExamples of(CsaConfig config, List<int[]> sequences, List<int[]> features) {
        if (sequences.size() != features.size()) {
            throw new IllegalArgumentException(
                    sequences.size() + " sequences but " + features.size() + " feature rows");
        }
        int l = config.maxLength();
        int users = 0;
        for (int[] s : sequences) {
            users += s.length > 0 ? 1 : 0;
        }
        long[][] in = new long[users][];
        long[][] tg = new long[users][];
        long[][] ft = new long[users][];
        int e = 0;
        for (int u = 0; u < sequences.size(); u++) {
            int[] s = sequences.get(u);
            int[] x = features.get(u);
            Batches.checkFeatures(config, x);
            if (s.length == 0) {
                continue;
            }
            int n = Math.min(s.length, l + 1);
            int from = s.length - n;
            long[] input = new long[l];
            long[] target = new long[l + 1];
            target[0] = Batches.checkItem(config, s[from]);
            for (int k = 0; k < n - 1; k++) {
                // w_k sits in column l - (n - 1) + k, i.e. at position l - (n - 1) + k + 1.
                int column = l - (n - 1) + k;
                input[column] = Batches.checkItem(config, s[from + k]);
                target[column + 1] = Batches.checkItem(config, s[from + k + 1]);
            }
            in[e] = input;
            tg[e] = target;
            ft[e] = new long[x.length];
            for (int j = 0; j < x.length; j++) {
                ft[e][j] = x[j];
            }
            e++;
        }
        return new NextItemExamples(l, config.numFeatureFields(), in, tg, ft);
    }

    int size() {
        return inputs.length;
    }

    /**
     * Inputs {@code [B, T]}, features {@code [B, F]} and targets {@code [B, T + 1]}, int64, where T
     * is the longest input of the batch: columns that are padding in every row are left out
     * (positions are right-aligned, so the outputs of real positions do not change), which saves
     * most of the work when sequences are much shorter than L.
     */
    NDArray[] batch(NDManager m, int[] examples) {
        int b = examples.length;
        int start = length - 1;
        for (int e : examples) {
            long[] row = inputs[e];
            int first = 0;
            while (first < length && row[first] == 0) {
                first++;
            }
            start = Math.min(start, first);
        }
        int t = length - start;
        long[] in = new long[b * t];
        long[] tg = new long[b * (t + 1)];
        long[] ft = new long[b * fields];
        for (int i = 0; i < b; i++) {
            int e = examples[i];
            System.arraycopy(inputs[e], start, in, i * t, t);
            tg[i * (t + 1)] = targets[e][0];
            System.arraycopy(targets[e], start + 1, tg, i * (t + 1) + 1, t);
            System.arraycopy(features[e], 0, ft, i * fields, fields);
        }
        return new NDArray[] {
            m.create(in, new Shape(b, t)),
            m.create(ft, new Shape(b, fields)),
            m.create(tg, new Shape(b, t + 1))
        };
    }

    /** The number of real (non-padding) input items of each example. */
    int[] lengths() {
        int[] out = new int[inputs.length];
        for (int e = 0; e < inputs.length; e++) {
            int first = 0;
            while (first < length && inputs[e][first] == 0) {
                first++;
            }
            out[e] = length - first;
        }
        return out;
    }

    long[] input(int example) {
        return inputs[example].clone();
    }

    long[] target(int example) {
        return targets[example].clone();
    }
}
