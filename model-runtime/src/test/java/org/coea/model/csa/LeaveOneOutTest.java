package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The leave-one-out protocol: negative sampling, the encoder's ranks, the popularity baseline. */
class LeaveOneOutTest {
    static int threads;

    @BeforeAll
    static void oneThread() {
        threads = CsaFixtures.engineThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        CsaFixtures.engineThreads(threads);
    }

    static List<LeaveOneOutCase> cases() {
        SyntheticSequences s = SyntheticSequences.generate(40, 150, 3, 30, 11);
        return s.cases();
    }

    @ParameterizedTest
    @ValueSource(ints = {150, 1000}) // a pool of the eligible items, and rejection sampling
    void negativesAreDistinctItemsTheUserNeverTouchedAndRepeatPerSeed(int numItems) {
        List<LeaveOneOutCase> cases = cases();
        int[][] a = CsaEvaluator.sampleNegatives(cases, numItems, 100, 5);
        int[][] b = CsaEvaluator.sampleNegatives(cases, numItems, 100, 5);
        int[][] c = CsaEvaluator.sampleNegatives(cases, numItems, 100, 6);
        assertThat(a).isDeepEqualTo(b);
        assertThat(Arrays.deepEquals(a, c)).as("another seed, other negatives").isFalse();
        for (int i = 0; i < cases.size(); i++) {
            Set<Integer> touched = new HashSet<>();
            Arrays.stream(cases.get(i).history()).forEach(touched::add);
            touched.add(cases.get(i).heldOutItem());
            assertThat(a[i]).hasSize(100).doesNotHaveDuplicates();
            for (int n : a[i]) {
                assertThat(n).isBetween(1, numItems);
                assertThat(touched).as("case %d negative %d", i, n).doesNotContain(n);
            }
        }
        // a case's negatives do not depend on the cases around it
        int[][] head = CsaEvaluator.sampleNegatives(cases.subList(0, 5), numItems, 100, 5);
        assertThat(head[4]).containsExactly(a[4]);
    }

    @Test
    void negativesCoverTheEligibleItemsUniformly() {
        // 10 touched of 130 items: 120 eligible, 100 drawn each time
        int[] history = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        List<LeaveOneOutCase> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add(new LeaveOneOutCase(history, 10, new int[] {1}));
        }
        int[] hits = new int[131];
        for (int[] row : CsaEvaluator.sampleNegatives(many, 130, 100, 1)) {
            for (int n : row) {
                hits[n]++;
            }
        }
        // each eligible item is drawn with probability 100/120: 500 of 600 expected, sd ~9
        for (int item = 11; item <= 130; item++) {
            assertThat(hits[item]).as("item %d", item).isBetween(450, 550);
        }
        assertThatThrownBy(() -> CsaEvaluator.sampleNegatives(many, 109, 100, 1))
                .hasMessageContaining("99 items");
    }

    @Test
    void encoderRanksMatchScoresComputedFromItsUserVectors() {
        CsaConfig config =
                CsaConfig.builder()
                        .setNumItems(150)
                        .setNumFeatureValues(SyntheticSequences.numFeatureValues())
                        .setNumFeatureFields(2)
                        .setMaxLength(10)
                        .optHidden(16)
                        .build();
        List<LeaveOneOutCase> cases = cases();
        int[][] negatives = CsaEvaluator.sampleNegatives(cases, 150, 100, 3);
        try (CsaEncoder encoder = CsaEncoder.create(config)) {
            CsaFixtures.randomise(encoder, 9);
            RankingResult result = CsaEvaluator.leaveOneOut(encoder, cases, negatives);
            List<int[]> histories = new ArrayList<>();
            List<int[]> features = new ArrayList<>();
            cases.forEach(
                    c -> {
                        histories.add(c.history());
                        features.add(c.features());
                    });
            float[][] h = encoder.userVectors(histories, features);
            float[] e = encoder.itemEmbedding().toFloatArray();
            int spread = 0;
            for (int i = 0; i < cases.size(); i++) {
                double positive = dot(h[i], e, cases.get(i).heldOutItem());
                int rank = 0;
                for (int n : negatives[i]) {
                    rank += dot(h[i], e, n) > positive ? 1 : 0;
                }
                assertThat(result.ranks()[i]).as("case %d", i).isBetween(rank - 1, rank + 1);
                spread += Math.abs(result.ranks()[i] - rank);
            }
            assertThat(spread).as("ranks off by float rounding").isLessThanOrEqualTo(2);
            assertThat(CsaEvaluator.leaveOneOut(encoder, cases, 3)).isEqualTo(result);
        }
    }

    @Test
    void popularityRanksEqualANaiveCountBasedRanking() {
        SyntheticSequences s = SyntheticSequences.generate(60, 150, 3, 30, 12);
        List<int[]> training = s.histories();
        // make popularity uneven: some users repeat a few items
        training.add(new int[] {5, 5, 5, 5, 6, 6, 7});
        List<LeaveOneOutCase> cases = s.cases();
        int[][] negatives = CsaEvaluator.sampleNegatives(cases, 150, 100, 4);
        PopularityBaseline baseline = PopularityBaseline.fit(training, 150);
        RankingResult result = baseline.leaveOneOut(cases, negatives);
        for (int i = 0; i < cases.size(); i++) {
            long positive = naiveCount(training, cases.get(i).heldOutItem());
            int rank = 0;
            for (int n : negatives[i]) {
                if (naiveCount(training, n) > positive) {
                    rank++;
                }
            }
            assertThat(result.ranks()[i]).as("case %d", i).isEqualTo(rank);
        }
        assertThat(baseline.count(5)).isEqualTo(naiveCount(training, 5));
        assertThat(baseline.count(0)).isZero();
        long[] counts = new long[151];
        for (int item = 1; item <= 150; item++) {
            counts[item] = naiveCount(training, item);
        }
        assertThat(PopularityBaseline.ofCounts(counts).leaveOneOut(cases, negatives).ranks())
                .containsExactly(result.ranks());
    }

    static long naiveCount(List<int[]> sequences, int item) {
        return sequences.stream().flatMapToInt(Arrays::stream).filter(i -> i == item).count();
    }

    static double dot(float[] h, float[] e, int item) {
        double s = 0;
        for (int j = 0; j < h.length; j++) {
            s += h[j] * e[item * h.length + j];
        }
        return s;
    }
}
