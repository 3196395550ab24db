package org.coea.model.rqvae;

import java.util.Arrays;
import java.util.Random;

/**
 * Plain-Java k-means for codebook initialisation: greedy k-means++ seeding, then Lloyd iterations
 * until the assignment stops changing.
 *
 * <p>Seeding follows scikit-learn's greedy k-means++: the first centre is a uniformly drawn point;
 * each further centre is the best of {@code 2 + floor(ln k)} candidates drawn with probability
 * proportional to the squared distance to the nearest centre so far ("best" = the lowest total
 * squared distance once it is added). When every point already coincides with a centre (fewer
 * distinct points than {@code k}), candidates are drawn uniformly, so centres repeat.
 *
 * <p>Each Lloyd iteration sets every centre to the mean of its points and reassigns every point to
 * its nearest centre (squared Euclidean distance in double precision over the float values; ties go
 * to the lower index). A centre left without points takes the point farthest from its own centre
 * among clusters of two or more points. The result holds the centres and the assignment they are
 * the means of; when {@link Result#converged()}, that assignment is also the nearest-centre
 * assignment of those centres.
 */
final class KMeans {
    private KMeans() {}

    /**
     * @param centroids {@code [k][dim]}
     * @param assignment the cluster of each point; every centroid is the mean of its points
     * @param iterations Lloyd iterations run
     * @param converged whether the last iteration left the assignment unchanged
     */
    record Result(float[][] centroids, int[] assignment, int iterations, boolean converged) {}

    /** Clusters {@code points} (at least one) into {@code k} clusters. */
    static Result fit(float[][] points, int k, Random random, int maxIterations) {
        if (points.length == 0) {
            throw new IllegalArgumentException("k-means needs at least one point");
        }
        if (k <= 0 || maxIterations <= 0) {
            throw new IllegalArgumentException("k and maxIterations must be positive");
        }
        float[][] centroids = seed(points, k, random);
        int[] assignment = assign(points, centroids);
        for (int it = 1; it <= maxIterations; it++) {
            boolean moved = updateMeans(points, assignment, centroids);
            int[] next = assign(points, centroids);
            if (!moved && Arrays.equals(assignment, next)) {
                return new Result(centroids, assignment, it, true);
            }
            assignment = next;
        }
        updateMeans(points, assignment, centroids);
        return new Result(centroids, assignment, maxIterations, false);
    }

    /** Greedy k-means++ seeding. */
    static float[][] seed(float[][] points, int k, Random random) {
        int n = points.length;
        float[][] centroids = new float[k][];
        centroids[0] = points[random.nextInt(n)].clone();
        double[] closest = new double[n];
        for (int i = 0; i < n; i++) {
            closest[i] = squaredDistance(points[i], centroids[0]);
        }
        int trials = 2 + (int) Math.floor(Math.log(k));
        for (int c = 1; c < k; c++) {
            double potential = sum(closest);
            int best = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            double[] bestClosest = null;
            for (int t = 0; t < trials; t++) {
                int candidate =
                        potential > 0 ? draw(closest, potential, random) : random.nextInt(n);
                double[] next = new double[n];
                double total = 0;
                for (int i = 0; i < n; i++) {
                    next[i] = Math.min(closest[i], squaredDistance(points[i], points[candidate]));
                    total += next[i];
                }
                if (total < bestPotential) {
                    bestPotential = total;
                    best = candidate;
                    bestClosest = next;
                }
            }
            centroids[c] = points[best].clone();
            closest = bestClosest;
        }
        return centroids;
    }

    private static int draw(double[] weights, double total, Random random) {
        double target = random.nextDouble() * total;
        double acc = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                acc += weights[i];
                last = i;
                if (target < acc) {
                    return i;
                }
            }
        }
        return last;
    }

    /**
     * Sets each centroid to the mean of its points; a centroid without points takes the farthest
     * point of a cluster of two or more points (moving that point to it).
     *
     * @return whether a point was moved to an empty cluster
     */
    static boolean updateMeans(float[][] points, int[] assignment, float[][] centroids) {
        int k = centroids.length;
        int dim = centroids[0].length;
        boolean moved = false;
        while (true) {
            int[] counts = new int[k];
            double[][] sums = new double[k][dim];
            for (int i = 0; i < points.length; i++) {
                int c = assignment[i];
                counts[c]++;
                for (int d = 0; d < dim; d++) {
                    sums[c][d] += points[i][d];
                }
            }
            int empty = -1;
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    if (empty < 0) {
                        empty = c;
                    }
                } else {
                    for (int d = 0; d < dim; d++) {
                        centroids[c][d] = (float) (sums[c][d] / counts[c]);
                    }
                }
            }
            if (empty < 0) {
                return moved;
            }
            int farthest = -1;
            double far = -1;
            for (int i = 0; i < points.length; i++) {
                int c = assignment[i];
                if (counts[c] > 1) {
                    double d2 = squaredDistance(points[i], centroids[c]);
                    if (d2 > far) {
                        far = d2;
                        farthest = i;
                    }
                }
            }
            if (farthest < 0) {
                return moved; // fewer points than clusters: leave the rest where they are
            }
            assignment[farthest] = empty;
            centroids[empty] = points[farthest].clone();
            moved = true;
        }
    }

    /** The nearest centroid of each point. */
    static int[] assign(float[][] points, float[][] centroids) {
        int[] out = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = nearest(points[i], centroids);
        }
        return out;
    }

    /** The index of the centroid nearest to {@code x}; ties go to the lower index. */
    static int nearest(float[] x, float[][] centroids) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double d = squaredDistance(x, centroids[c]);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** Squared Euclidean distance in double precision. */
    static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
