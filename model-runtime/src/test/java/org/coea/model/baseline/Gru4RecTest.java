package org.coea.model.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.coea.model.train.TrainingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gru4RecTest {
    private static BaselineConfig config(int items, int hidden, int maxLength, long seed) {
        return new BaselineConfig(Gru4Rec.MODEL_TYPE, items, hidden, maxLength, 0.0, 1.0, seed);
    }

    @Test
    void userVectorsEqualAScalarGruOverTheLastItems() {
        try (Gru4Rec model = Gru4Rec.create(config(9, 4, 5, 3))) {
            // Non-zero biases, so that the bias terms are checked too.
            model.parameters().get(Gru4Rec.BIAS_IH).addi(0.1f);
            model.parameters().get(Gru4Rec.BIAS_HH).subi(0.05f);
            List<int[]> seqs =
                    List.of(
                            new int[] {3},
                            new int[] {1, 2, 9, 4},
                            new int[] {5, 6, 7, 8, 1, 2, 3},
                            new int[0]);
            float[][] got = model.userVectors(seqs);
            float[] e = model.parameters().get(Gru4Rec.ITEM_EMBEDDING).toFloatArray();
            float[] wih = model.parameters().get(Gru4Rec.WEIGHT_IH).toFloatArray();
            float[] whh = model.parameters().get(Gru4Rec.WEIGHT_HH).toFloatArray();
            float[] bih = model.parameters().get(Gru4Rec.BIAS_IH).toFloatArray();
            float[] bhh = model.parameters().get(Gru4Rec.BIAS_HH).toFloatArray();
            for (int u = 0; u < seqs.size(); u++) {
                int[] s = seqs.get(u);
                double[] h = new double[4];
                for (int k = Math.max(0, s.length - 5); k < s.length; k++) {
                    h = step(h, e, s[k], wih, whh, bih, bhh, 4);
                }
                for (int j = 0; j < 4; j++) {
                    assertThat((double) got[u][j])
                            .as("user %d dim %d", u, j)
                            .isCloseTo(h[j], within(1e-5));
                }
            }
        }
    }

    /** One GRU step by the textbook equations (gates r, z, n in PyTorch's row order). */
    private static double[] step(
            double[] h,
            float[] e,
            int item,
            float[] wih,
            float[] whh,
            float[] bih,
            float[] bhh,
            int d) {
        double[] gi = new double[3 * d];
        double[] gh = new double[3 * d];
        for (int r = 0; r < 3 * d; r++) {
            gi[r] = bih[r];
            gh[r] = bhh[r];
            for (int c = 0; c < d; c++) {
                gi[r] += wih[r * d + c] * e[item * d + c];
                gh[r] += whh[r * d + c] * h[c];
            }
        }
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            double r = 1 / (1 + Math.exp(-(gi[j] + gh[j])));
            double z = 1 / (1 + Math.exp(-(gi[d + j] + gh[d + j])));
            double n = Math.tanh(gi[2 * d + j] + r * gh[2 * d + j]);
            out[j] = (1 - z) * n + z * h[j];
        }
        return out;
    }

    @Test
    void learnsADeterministicNextItemRuleAndSurvivesSaveAndLoad(@TempDir Path dir) {
        int items = 20;
        SplittableRandom random = new SplittableRandom(11);
        List<int[]> train = cycles(random, 300, items);
        List<int[]> held = cycles(random, 100, items);
        try (Gru4Rec model = Gru4Rec.create(config(items, 16, 10, 5))) {
            TrainingLog log =
                    model.train(train, new BaselineTraining(12, 32, 0.02, 7), new TrainingLog());
            assertThat(log.last().orElseThrow().loss()).isLessThan(log.records().get(0).loss());
            double top1 = top1(model.userVectors(prefixes(held)), model.itemTable(), 16, held);
            assertThat(top1).as("held-out next-item top-1 (chance 0.05)").isGreaterThan(0.9);
            model.save(dir);
            try (Gru4Rec loaded = Gru4Rec.load(dir)) {
                float[][] a = model.userVectors(prefixes(held));
                float[][] b = loaded.userVectors(prefixes(held));
                assertThat(b).isDeepEqualTo(a);
            }
        }
    }

    @Test
    void rejectsAnItemOutsideTheCatalogue() {
        try (Gru4Rec model = Gru4Rec.create(config(5, 4, 3, 1))) {
            assertThatThrownBy(() -> model.userVectors(List.of(new int[] {1, 6})))
                    .hasMessageContaining("item id 6 outside 1..5");
            assertThatThrownBy(
                            () ->
                                    model.train(
                                            List.of(new int[] {1, 7}),
                                            new BaselineTraining(1, 2, 0.01, 1),
                                            new TrainingLog()))
                    .hasMessageContaining("item id 7 outside 1..5");
        }
    }

    /** Sequences following i -> i % items + 1 from random starts, of random length 3..12. */
    static List<int[]> cycles(SplittableRandom r, int users, int items) {
        List<int[]> out = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int[] s = new int[3 + r.nextInt(10)];
            s[0] = 1 + r.nextInt(items);
            for (int k = 1; k < s.length; k++) {
                s[k] = s[k - 1] % items + 1;
            }
            out.add(s);
        }
        return out;
    }

    static List<int[]> prefixes(List<int[]> seqs) {
        List<int[]> out = new ArrayList<>();
        for (int[] s : seqs) {
            out.add(java.util.Arrays.copyOf(s, s.length - 1));
        }
        return out;
    }

    /** The share of sequences whose last item is the argmax of <u, V[i]> over items 1..N. */
    static double top1(float[][] users, float[] table, int d, List<int[]> seqs) {
        int hits = 0;
        int items = table.length / d - 1;
        for (int u = 0; u < users.length; u++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 1; i <= items; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += users[u][j] * table[i * d + j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = i;
                }
            }
            int[] seq = seqs.get(u);
            hits += best == seq[seq.length - 1] ? 1 : 0;
        }
        return hits / (double) users.length;
    }
}
