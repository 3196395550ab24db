package org.coea.model.rqvae;

import java.util.SplittableRandom;

/** Seeded synthetic user vectors for the RQ-VAE tests. */
final class RqVaeFixtures {
    private RqVaeFixtures() {}

    /** Vectors with their true cluster labels. */
    record Labelled(float[][] vectors, int[] labels) {}

    /**
     * {@code n} vectors {@code h = A u + noise} in {@code dim} dimensions from a {@code rank}-dim
     * standard normal {@code u}, a fixed random {@code A} (entries N(0, 1/rank)) and noise N(0,
     * 0.05^2): continuous data, so every extra quantizer level has something left to encode.
     */
    static float[][] lowRank(int n, int dim, int rank, long seed) {
        SplittableRandom mixing = new SplittableRandom(7);
        double[][] a = new double[dim][rank];
        for (int d = 0; d < dim; d++) {
            for (int r = 0; r < rank; r++) {
                a[d][r] = gaussian(mixing) / Math.sqrt(rank);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            double[] u = new double[rank];
            for (int r = 0; r < rank; r++) {
                u[r] = gaussian(random);
            }
            for (int d = 0; d < dim; d++) {
                double v = 0;
                for (int r = 0; r < rank; r++) {
                    v += a[d][r] * u[r];
                }
                out[i][d] = (float) (v + 0.05 * gaussian(random));
            }
        }
        return out;
    }

    /**
     * {@code n} vectors from {@code k} Gaussian clusters in {@code dim} dimensions: centres of norm
     * {@code radius} in random directions, isotropic spread {@code sigma}; user i belongs to
     * cluster {@code i % k}.
     */
    static Labelled clusters(int n, int k, int dim, double radius, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centres = new double[k][dim];
        for (int c = 0; c < k; c++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                centres[c][d] = gaussian(random);
                norm += centres[c][d] * centres[c][d];
            }
            norm = Math.sqrt(norm);
            for (int d = 0; d < dim; d++) {
                centres[c][d] *= radius / norm;
            }
        }
        float[][] out = new float[n][dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int d = 0; d < dim; d++) {
                out[i][d] = (float) (centres[labels[i]][d] + sigma * gaussian(random));
            }
        }
        return new Labelled(out, labels);
    }

    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static float[][] slice(float[][] rows, int from, int to) {
        float[][] out = new float[to - from][];
        System.arraycopy(rows, from, out, 0, to - from);
        return out;
    }
}
