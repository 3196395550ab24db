package org.coea.model.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Token choice from one row of logits, in plain Java so it is exact and seeded. */
final class Sampling {
    private Sampling() {}

    /** The index of the largest allowed logit (the lowest index on ties). */
    static int argmax(float[] logits, boolean[] allowed) {
        int best = -1;
        for (int i = 0; i < logits.length; i++) {
            if ((allowed == null || allowed[i]) && (best < 0 || logits[i] > logits[best])) {
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no token is allowed");
        }
        return best;
    }

    /** Log-softmax over the allowed entries (disallowed ones get -infinity). */
    static double[] logSoftmax(float[] logits, boolean[] allowed, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (allowed == null || allowed[i]) {
                max = Math.max(max, logits[i] / temperature);
            }
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            if (allowed == null || allowed[i]) {
                sum += Math.exp(logits[i] / temperature - max);
            }
        }
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] =
                    allowed == null || allowed[i]
                            ? logits[i] / temperature - log
                            : Double.NEGATIVE_INFINITY;
        }
        return out;
    }

    /** Samples with temperature, top-k and top-p over the allowed entries. */
    static int sample(
            float[] logits, boolean[] allowed, GenerationConfig c, SplittableRandom random) {
        double[] logp = logSoftmax(logits, allowed, c.temperature());
        Integer[] order = new Integer[logp.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) ->
                        Double.compare(logp[b], logp[a]) != 0
                                ? Double.compare(logp[b], logp[a])
                                : Integer.compare(a, b));
        int keep = 0;
        double mass = 0;
        int limit = c.topK() > 0 ? Math.min(c.topK(), order.length) : order.length;
        while (keep < limit && logp[order[keep]] != Double.NEGATIVE_INFINITY) {
            mass += Math.exp(logp[order[keep]]);
            keep++;
            if (mass >= c.topP()) {
                break;
            }
        }
        double u = random.nextDouble() * mass;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += Math.exp(logp[order[i]]);
            if (u < acc) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
