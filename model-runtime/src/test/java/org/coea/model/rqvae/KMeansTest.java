package org.coea.model.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KMeansTest {

    @Test
    void convergedCentresAreTheMeansOfTheirNearestPoints() {
        RqVaeFixtures.Labelled data = RqVaeFixtures.clusters(300, 6, 4, 4.0, 1.0, 1);
        float[][] x = data.vectors();
        KMeans.Result r = KMeans.fit(x, 6, new Random(2), 100);
        assertThat(r.converged()).isTrue();
        for (int i = 0; i < x.length; i++) {
            int best = 0;
            for (int c = 1; c < 6; c++) {
                if (naiveDistance(x[i], r.centroids()[c])
                        < naiveDistance(x[i], r.centroids()[best])) {
                    best = c;
                }
            }
            assertThat(r.assignment()[i]).as("point %d", i).isEqualTo(best);
        }
        for (int c = 0; c < 6; c++) {
            double[] sum = new double[4];
            int n = 0;
            for (int i = 0; i < x.length; i++) {
                if (r.assignment()[i] == c) {
                    n++;
                    for (int d = 0; d < 4; d++) {
                        sum[d] += x[i][d];
                    }
                }
            }
            assertThat(n).isPositive();
            for (int d = 0; d < 4; d++) {
                assertThat((double) r.centroids()[c][d]).isCloseTo(sum[d] / n, within(1e-5));
            }
        }
    }

    @Test
    void greedySeedingFindsEveryWellSeparatedClusterAndIsSeeded() {
        RqVaeFixtures.Labelled data = RqVaeFixtures.clusters(400, 8, 16, 10.0, 0.5, 3);
        for (long seed = 0; seed < 5; seed++) {
            float[][] centres = KMeans.seed(data.vectors(), 8, new Random(seed));
            boolean[] hit = new boolean[8];
            for (float[] c : centres) {
                for (int i = 0; i < data.vectors().length; i++) {
                    if (java.util.Arrays.equals(c, data.vectors()[i])) {
                        hit[data.labels()[i]] = true;
                    }
                }
            }
            assertThat(hit).as("seed %d", seed).containsOnly(true);
        }
        assertThat(KMeans.fit(data.vectors(), 8, new Random(4), 50).centroids())
                .isDeepEqualTo(KMeans.fit(data.vectors(), 8, new Random(4), 50).centroids());
    }

    @Test
    void fewerDistinctPointsThanClustersRepeatCentres() {
        float[][] x = {{1, 1}, {1, 1}, {5, 5}};
        KMeans.Result r = KMeans.fit(x, 4, new Random(1), 10);
        assertThat(r.centroids()).hasDimensions(4, 2);
        for (float[] c : r.centroids()) {
            assertThat(c)
                    .satisfiesAnyOf(
                            v -> assertThat(v).containsExactly(1, 1),
                            v -> assertThat(v).containsExactly(5, 5));
        }
        assertThat(r.assignment()[2]).isNotEqualTo(r.assignment()[0]);
    }

    @Test
    void anEmptyClusterTakesTheFarthestPoint() {
        float[][] x = {{0}, {1}, {10}};
        int[] assignment = {0, 0, 0};
        float[][] centroids = {{0}, {100}};
        boolean moved = KMeans.updateMeans(x, assignment, centroids);
        assertThat(moved).isTrue();
        assertThat(assignment).containsExactly(0, 0, 1);
        assertThat(centroids[0]).containsExactly(0.5f);
        assertThat(centroids[1]).containsExactly(10f);
    }

    static double naiveDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        return s;
    }
}
