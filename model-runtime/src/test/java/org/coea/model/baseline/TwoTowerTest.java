package org.coea.model.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.coea.model.train.TrainingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoTowerTest {
    private static BaselineConfig config(
            int items, int hidden, int maxLength, double t, long seed) {
        return new BaselineConfig(TwoTower.MODEL_TYPE, items, hidden, maxLength, 0.0, t, seed);
    }

    @Test
    void vectorsEqualAPlainComputationOfBothTowers() {
        int d = 4;
        try (TwoTower model = TwoTower.create(config(7, d, 3, 0.5, 2))) {
            model.parameters().get(TwoTower.USER_B1).addi(0.2f);
            model.parameters().get(TwoTower.ITEM_B).subi(0.1f);
            List<int[]> seqs = List.of(new int[] {2}, new int[] {1, 5, 7, 3}, new int[0]);
            float[][] got = model.userVectors(seqs);
            float[] eu = array(model, TwoTower.USER_EMBEDDING);
            float[] w1 = array(model, TwoTower.USER_W1);
            float[] b1 = array(model, TwoTower.USER_B1);
            float[] w2 = array(model, TwoTower.USER_W2);
            float[] b2 = array(model, TwoTower.USER_B2);
            for (int u = 0; u < seqs.size(); u++) {
                int[] s = seqs.get(u);
                double[] mean = new double[d];
                int from = Math.max(0, s.length - 3);
                for (int k = from; k < s.length; k++) {
                    for (int j = 0; j < d; j++) {
                        mean[j] += eu[s[k] * d + j] / (double) (s.length - from);
                    }
                }
                double[] hidden = affine(w1, b1, mean, d);
                for (int j = 0; j < d; j++) {
                    hidden[j] = Math.max(0, hidden[j]);
                }
                double[] want = unit(affine(w2, b2, hidden, d));
                for (int j = 0; j < d; j++) {
                    assertThat((double) got[u][j]).isCloseTo(want[j] / 0.5, within(1e-5));
                }
            }
            float[] table = model.itemTable();
            float[] ei = array(model, TwoTower.ITEM_EMBEDDING);
            float[] w = array(model, TwoTower.ITEM_W);
            float[] b = array(model, TwoTower.ITEM_B);
            for (int i = 1; i <= 7; i++) {
                double[] e = new double[d];
                for (int j = 0; j < d; j++) {
                    e[j] = ei[i * d + j];
                }
                double[] want = unit(affine(w, b, e, d));
                for (int j = 0; j < d; j++) {
                    assertThat((double) table[i * d + j]).isCloseTo(want[j], within(1e-5));
                }
            }
        }
    }

    @Test
    void learnsWhichItemsFollowAHistoryAndSurvivesSaveAndLoad(@TempDir Path dir) {
        // Four clusters of five items: a user's items, history and next, all come from one cluster.
        SplittableRandom r = new SplittableRandom(3);
        List<int[]> train = clustered(r, 400);
        List<int[]> held = clustered(r, 200);
        int d = 16;
        try (TwoTower model = TwoTower.create(config(20, d, 10, 0.1, 4))) {
            TrainingLog log =
                    model.train(train, new BaselineTraining(10, 64, 0.01, 5), new TrainingLog());
            assertThat(log.last().orElseThrow().loss()).isLessThan(log.records().get(0).loss());
            float[][] users = model.userVectors(Gru4RecTest.prefixes(held));
            float[] table = model.itemTable();
            int inCluster = 0;
            for (int u = 0; u < users.length; u++) {
                int[] s = held.get(u);
                int cluster = (s[0] - 1) / 5;
                int best = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int i = 1; i <= 20; i++) {
                    double score = 0;
                    for (int j = 0; j < d; j++) {
                        score += users[u][j] * table[i * d + j];
                    }
                    if (score > bestScore) {
                        bestScore = score;
                        best = i;
                    }
                }
                inCluster += (best - 1) / 5 == cluster ? 1 : 0;
            }
            assertThat(inCluster / (double) users.length)
                    .as("top item in the history's cluster (chance 0.25)")
                    .isGreaterThan(0.9);
            model.save(dir);
            try (TwoTower loaded = TwoTower.load(dir)) {
                assertThat(loaded.itemTable()).containsExactly(table);
                assertThat(loaded.userVectors(held)).isDeepEqualTo(model.userVectors(held));
            }
        }
    }

    private static List<int[]> clustered(SplittableRandom r, int users) {
        List<int[]> out = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int cluster = r.nextInt(4);
            int[] s = new int[2 + r.nextInt(8)];
            for (int k = 0; k < s.length; k++) {
                s[k] = 1 + cluster * 5 + r.nextInt(5);
            }
            out.add(s);
        }
        return out;
    }

    private static float[] array(TwoTower model, String name) {
        return model.parameters().get(name).toFloatArray();
    }

    private static double[] affine(float[] w, float[] b, double[] x, int d) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = b[i];
            for (int j = 0; j < d; j++) {
                out[i] += w[i * d + j] * x[j];
            }
        }
        return out;
    }

    private static double[] unit(double[] x) {
        double n = 0;
        for (double v : x) {
            n += v * v;
        }
        n = Math.sqrt(n + 1e-12);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / n;
        }
        return out;
    }
}
