package org.coea.model.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The quantizer against plain-Java computations of Eq. 2 / 6. */
class ResidualQuantizerTest {
    static final int K = 5;
    static final int D = 3;
    static final int B = 12;

    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static float[][] random(int rows, int cols, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] out = new float[rows][cols];
        for (float[] row : out) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (RqVaeFixtures.gaussian(r) * scale);
            }
        }
        return out;
    }

    NDArray array(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    ResidualQuantizer quantizer(float[][]... books) {
        List<NDArray> arrays = new ArrayList<>();
        for (float[][] b : books) {
            arrays.add(array(b));
        }
        return new ResidualQuantizer(arrays, 0.25, true);
    }

    /** Codes, residuals and z_hat computed naively: nearest codeword, then subtract it. */
    static int[][] naiveCodes(float[][] z, float[][][] books, float[][][] residualsOut) {
        int[][] codes = new int[z.length][books.length];
        for (int b = 0; b < z.length; b++) {
            float[] r = z[b].clone();
            for (int l = 0; l < books.length; l++) {
                residualsOut[l][b] = r.clone();
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int k = 0; k < books[l].length; k++) {
                    double d = 0;
                    for (int j = 0; j < r.length; j++) {
                        d += Math.pow(r[j] - books[l][k][j], 2);
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = k;
                    }
                }
                codes[b][l] = best;
                for (int j = 0; j < r.length; j++) {
                    r[j] -= books[l][best][j];
                }
            }
        }
        return codes;
    }

    @Test
    void codesLossAndGradientsFollowEquationTwo() {
        float[][] z = random(B, D, 1.0, 1);
        float[][][] books = {random(K, D, 1.0, 2), random(K, D, 0.4, 3)};
        float[][] w = random(B, D, 1.0, 4);
        float[][][] residuals = new float[2][B][];
        int[][] codes = naiveCodes(z, books, residuals);

        ResidualQuantizer q = quantizer(books);
        NDArray zArray = array(z);
        zArray.setRequiresGradient(true);
        q.codebook(0).setRequiresGradient(true);
        q.codebook(1).setRequiresGradient(true);
        ResidualQuantizer.Quantized out;
        float lossValue;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            out = q.quantize(zArray);
            NDArray objective = out.loss().add(out.straightThrough().mul(array(w)).sum());
            lossValue = out.loss().getFloat();
            gc.backward(objective);
        }
        long[] got = out.codes().toLongArray();
        double expectedLoss = 0;
        double[][] dz = new double[B][D];
        double[][][] dBook = new double[2][K][D];
        for (int b = 0; b < B; b++) {
            for (int l = 0; l < 2; l++) {
                assertThat(got[b * 2 + l])
                        .as("code of %d at level %d", b, l)
                        .isEqualTo(codes[b][l]);
                float[] e = books[l][codes[b][l]];
                for (int j = 0; j < D; j++) {
                    double diff = residuals[l][b][j] - e[j];
                    expectedLoss += (1 + 0.25) * diff * diff / B;
                    // commitment: d/dr of 0.25 ||r - sg e||^2 / B, and r_{l-1} moves with z 1:1
                    dz[b][j] += 0.25 * 2 * diff / B;
                    // codebook term: d/de of ||sg r - e||^2 / B
                    dBook[l][codes[b][l]][j] += -2 * diff / B;
                }
            }
            for (int j = 0; j < D; j++) {
                dz[b][j] += w[b][j]; // straight-through: the decoder's gradient reaches z as is
            }
        }
        assertThat((double) lossValue).isCloseTo(expectedLoss, within(1e-4));
        float[] zHat = out.quantized().toFloatArray();
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < D; j++) {
                assertThat(zHat[b * D + j])
                        .isCloseTo(
                                books[0][codes[b][0]][j] + books[1][codes[b][1]][j], within(1e-5f));
            }
        }
        assertThat(out.straightThrough().toFloatArray())
                .containsExactly(out.quantized().toFloatArray(), within(1e-5f));
        float[] gz = zArray.getGradient().toFloatArray();
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < D; j++) {
                assertThat((double) gz[b * D + j])
                        .as("dz[%d][%d]", b, j)
                        .isCloseTo(dz[b][j], within(1e-5));
            }
        }
        for (int l = 0; l < 2; l++) {
            float[] g = q.codebook(l).getGradient().toFloatArray();
            for (int k = 0; k < K; k++) {
                for (int j = 0; j < D; j++) {
                    assertThat((double) g[k * D + j])
                            .as("dE%d[%d][%d]", l, k, j)
                            .isCloseTo(dBook[l][k][j], within(1e-5));
                }
            }
        }
    }

    @Test
    void lookupOfAPrefixSumsThatManyCodewords() {
        float[][][] books = {random(K, D, 1.0, 5), random(K, D, 1.0, 6), random(K, D, 1.0, 7)};
        ResidualQuantizer q = quantizer(books);
        NDArray codes = manager.create(new long[] {4, 0, 2, 1, 3, 3}, new Shape(2, 3));
        float[] one = q.lookup(codes, 1).toFloatArray();
        float[] three = q.lookup(codes, 3).toFloatArray();
        for (int j = 0; j < D; j++) {
            assertThat(one[j]).isEqualTo(books[0][4][j]);
            assertThat(three[D + j])
                    .isCloseTo(books[0][1][j] + books[1][3][j] + books[2][3][j], within(1e-6f));
        }
        assertThatThrownBy(() -> q.lookup(manager.create(new long[] {0, 5}, new Shape(1, 2)), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..4");
    }

    @Test
    void kmeansInitialisationMakesEveryCodewordTheMeanOfItsPointsAtEveryLevel() {
        RqVaeFixtures.Labelled data = RqVaeFixtures.clusters(200, 4, D, 5.0, 0.6, 8);
        float[][] z = data.vectors();
        ResidualQuantizer q = quantizer(random(K, D, 0.1, 9), random(K, D, 0.1, 10));
        ResidualQuantizer fresh =
                new ResidualQuantizer(List.of(q.codebook(0), q.codebook(1)), 0.25, false);
        assertThat(fresh.initialised()).isFalse();
        fresh.initialise(z, 11, 100);
        assertThat(fresh.initialised()).isTrue();

        float[][] points = z;
        for (int l = 0; l < 2; l++) {
            float[][] book = fresh.codebookValues(l);
            int[] nearest = new int[points.length];
            double[][] sums = new double[K][D];
            int[] counts = new int[K];
            for (int i = 0; i < points.length; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < K; k++) {
                    double d = 0;
                    for (int j = 0; j < D; j++) {
                        d += Math.pow(points[i][j] - book[k][j], 2);
                    }
                    if (d < best) {
                        best = d;
                        nearest[i] = k;
                    }
                }
                counts[nearest[i]]++;
                for (int j = 0; j < D; j++) {
                    sums[nearest[i]][j] += points[i][j];
                }
            }
            float[][] next = new float[points.length][D];
            for (int k = 0; k < K; k++) {
                assertThat(counts[k]).as("level %d code %d has points", l, k).isPositive();
                for (int j = 0; j < D; j++) {
                    assertThat((double) book[k][j])
                            .as("level %d codeword %d is the mean of its points", l, k)
                            .isCloseTo(sums[k][j] / counts[k], within(1e-5));
                }
            }
            for (int i = 0; i < points.length; i++) {
                for (int j = 0; j < D; j++) {
                    next[i][j] = points[i][j] - book[nearest[i]][j];
                }
            }
            points = next;
        }
    }

    @Test
    void reseedingReplacesOnlyTheDeadCodesWithResidualsOfTheBatch() {
        float[][][] books = {random(K, D, 1.0, 12), random(K, D, 0.3, 13)};
        ResidualQuantizer q = quantizer(books);
        float[][] z = random(B, D, 1.0, 14);
        int count = q.reseed(z, new int[][] {{1, 3}, {}}, new Random(15));
        assertThat(count).isEqualTo(2);
        float[][] level0 = q.codebookValues(0);
        int[] sources = new int[2];
        int[] dead = {1, 3};
        for (int d = 0; d < 2; d++) {
            sources[d] = -1;
            for (int b = 0; b < B; b++) {
                if (java.util.Arrays.equals(level0[dead[d]], z[b])) {
                    sources[d] = b;
                }
            }
            assertThat(sources[d]).as("code %d re-seeded from an example", dead[d]).isNotNegative();
        }
        assertThat(sources[0]).as("distinct examples").isNotEqualTo(sources[1]);
        for (int k : new int[] {0, 2, 4}) {
            assertThat(level0[k]).containsExactly(books[0][k]);
        }
        assertThat(q.codebookValues(1)).isDeepEqualTo(books[1]);

        // level 1: the residual after the (already re-seeded) level 0
        float[][] newBooks0 = q.codebookValues(0);
        q.reseed(z, new int[][] {{}, {2}}, new Random(16));
        float[] reseeded = q.codebookValues(1)[2];
        float[][][] residuals = new float[2][B][];
        naiveCodes(z, new float[][][] {newBooks0, books[1]}, residuals);
        boolean matches = false;
        for (int b = 0; b < B; b++) {
            matches |= java.util.Arrays.equals(reseeded, residuals[1][b]);
        }
        assertThat(matches).as("level-1 code re-seeded from a level-1 residual").isTrue();
    }

    @Test
    void refusesLatentsOfTheWrongWidth() {
        ResidualQuantizer q = quantizer(random(K, D, 1.0, 17));
        assertThatThrownBy(() -> q.quantize(manager.zeros(new Shape(2, D + 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected latents [B, 3]");
    }
}
