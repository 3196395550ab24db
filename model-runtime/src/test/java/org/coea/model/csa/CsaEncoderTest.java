package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.coea.model.train.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CsaEncoderTest {
    static int threads;
    CsaEncoder encoder;
    NDManager m;

    @BeforeAll
    static void oneThread() {
        threads = CsaFixtures.engineThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        CsaFixtures.engineThreads(threads);
    }

    @BeforeEach
    void open() {
        encoder = CsaEncoder.create(CsaFixtures.tiny());
        CsaFixtures.randomise(encoder, 3);
        m = encoder.manager().newSubManager();
    }

    @AfterEach
    void close() {
        m.close();
        encoder.close();
    }

    NDArray items(long[]... rows) {
        return m.create(rows);
    }

    NDArray features(long[]... rows) {
        return m.create(rows);
    }

    /** {@code [B][T + 1][d]} of an encoded batch. */
    float[][][] encode(NDArray items, NDArray features) {
        NDArray h = encoder.encode(items, features);
        int b = (int) h.getShape().get(0);
        int s = (int) h.getShape().get(1);
        int d = (int) h.getShape().get(2);
        float[] flat = h.toFloatArray();
        float[][][] out = new float[b][s][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < s; j++) {
                System.arraycopy(flat, (i * s + j) * d, out[i][j], 0, d);
            }
        }
        return out;
    }

    @Test
    void defaultsFollowMethodMd() {
        CsaConfig c =
                CsaConfig.builder()
                        .setNumItems(3706)
                        .setNumFeatureValues(30)
                        .setNumFeatureFields(3)
                        .setMaxLength(50)
                        .build();
        assertThat(List.of(c.hidden(), c.layers(), c.heads())).containsExactly(64, 2, 4);
        assertThat(c.dropout()).isZero();
        try (CsaEncoder e = CsaEncoder.create(c)) {
            assertThat(e.parameters().get("item_embedding.weight").getShape())
                    .isEqualTo(new Shape(3707, 64));
            assertThat(e.parameters().get("position_embedding.weight").getShape())
                    .isEqualTo(new Shape(51, 64));
            assertThat(e.parameters().keySet())
                    .contains("blocks.1.attention.q.weight", "blocks.1.ffn.down.bias")
                    .doesNotContain("blocks.2.attention.q.weight");
            // padding rows start at zero
            assertThat(e.parameters().get("item_embedding.weight").get(0).toFloatArray())
                    .containsOnly(0f);
            assertThat(e.parameters().get("feature_embedding.weight").get(0).toFloatArray())
                    .containsOnly(0f);
        }
    }

    @Test
    void matchesAnIndependentPlainJavaForwardPassWithPadding() {
        NaiveCsa naive = new NaiveCsa(encoder.config(), CsaFixtures.weights(encoder));
        long[][] rows = {{0, 0, 0, 4, 9, 1}, {7, 8, 9, 10, 11, 30}, {0, 0, 0, 0, 0, 5}};
        long[][] feats = {{1, 4, 0}, {0, 0, 0}, {10, 2, 3}};
        float[][][] out = encode(items(rows), features(feats));
        for (int b = 0; b < rows.length; b++) {
            int[] history =
                    Arrays.stream(rows[b]).filter(v -> v > 0).mapToInt(v -> (int) v).toArray();
            int[] f = Arrays.stream(feats[b]).mapToInt(v -> (int) v).toArray();
            double[][] expected = naive.forward(history, f);
            int pad = rows[b].length - history.length;
            for (int j = 0; j < encoder.config().hidden(); j++) {
                assertThat((double) out[b][0][j])
                        .as("row %d feature token, dim %d", b, j)
                        .isCloseTo(expected[0][j], within(1e-4));
                for (int k = 1; k <= history.length; k++) {
                    assertThat((double) out[b][pad + k][j])
                            .as("row %d item %d, dim %d", b, k, j)
                            .isCloseTo(expected[k][j], within(1e-4));
                }
            }
            for (int k = 1; k <= pad; k++) {
                assertThat(maxAbsDiff(out[b][k], new float[8]))
                        .as("row %d padding position %d", b, k)
                        .isZero();
            }
        }
    }

    @Test
    void laterItemsNeverReachEarlierPositions() {
        long[] base = {0, 3, 5, 7, 11, 13};
        long[] features = {2, 5, 8};
        float[][][] a = encode(items(base), features(features));
        for (int changed = 1; changed < base.length; changed++) {
            long[] other = base.clone();
            other[changed] = 29;
            float[][][] b = encode(items(other), features(features));
            // column c is position c + 1
            for (int position = 0; position <= changed; position++) {
                for (int j = 0; j < 8; j++) {
                    assertThat(b[0][position][j])
                            .as("position %d after changing column %d", position, changed)
                            .isCloseTo(a[0][position][j], within(1e-6f));
                }
            }
            for (int position = changed + 1; position <= base.length; position++) {
                assertThat(maxAbsDiff(a[0][position], b[0][position]))
                        .as("position %d after changing column %d", position, changed)
                        .isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void moreLeftPaddingGivesTheSameUserVector() {
        long[] features = {1, 6, 0};
        float[] shortest = userVector(new long[] {4, 9, 1}, features);
        float[] padded = userVector(new long[] {0, 0, 0, 4, 9, 1}, features);
        float[] somePadding = userVector(new long[] {0, 4, 9, 1}, features);
        assertThat(padded).containsExactly(shortest, within(1e-5f));
        assertThat(somePadding).containsExactly(shortest, within(1e-5f));
        // and inside a batch next to a longer row
        float[] batched =
                encoder.userVector(
                                items(new long[] {0, 0, 0, 4, 9, 1}, new long[] {1, 2, 3, 4, 5, 6}),
                                features(features, new long[] {2, 2, 2}))
                        .get(0)
                        .toFloatArray();
        assertThat(batched).containsExactly(shortest, within(1e-5f));
        // and from plain Java histories, longer than L: only the last L items are read
        float[] fromJava =
                encoder.userVectors(
                                List.of(new int[] {4, 9, 1}, new int[] {20, 21, 22, 23, 4, 9, 1}),
                                List.of(new int[] {1, 6, 0}, new int[] {1, 6, 0}))[0];
        assertThat(fromJava).containsExactly(shortest, within(1e-5f));
        float[] lastSix = userVector(new long[] {21, 22, 23, 4, 9, 1}, features);
        assertThat(
                        encoder.userVectors(
                                        List.of(new int[] {20, 21, 22, 23, 4, 9, 1}),
                                        List.of(new int[] {1, 6, 0}))[0])
                .containsExactly(lastSix, within(1e-5f));
    }

    @Test
    void userVectorIsTheLastPositionOrTheFeatureTokenWithoutItems() {
        NDArray it = items(new long[] {0, 2, 3}, new long[] {0, 0, 0});
        NDArray ft = features(new long[] {1, 2, 3}, new long[] {4, 0, 0});
        float[][][] hidden = encode(it, ft);
        float[] h = encoder.userVector(it, ft).toFloatArray();
        assertThat(Arrays.copyOfRange(h, 0, 8)).containsExactly(hidden[0][3]);
        assertThat(Arrays.copyOfRange(h, 8, 16)).containsExactly(hidden[1][0]);
        assertThat(hidden[1][0])
                .as("the feature token is never padding")
                .isNotEqualTo(new float[8]);
    }

    @Test
    void theFeatureTokenIsPrependedAndAveragesThePresentValues() {
        long[] history = {0, 0, 5, 6, 7, 8};
        float[] h = userVector(history, new long[] {1, 4, 7});
        float[] otherFeature = userVector(history, new long[] {1, 4, 9});
        assertThat(maxAbsDiff(h, otherFeature))
                .as("changing one feature value changes h_u")
                .isGreaterThan(1e-3);
        // absent values (0) are left out of the mean: [3, 0, 0] averages to E_f[3], as [3, 3, 3]
        assertThat(userVector(history, new long[] {3, 0, 0}))
                .containsExactly(userVector(history, new long[] {3, 3, 3}), within(1e-5f));
        assertThat(maxAbsDiff(userVector(history, new long[] {3, 0, 0}), h)).isGreaterThan(1e-3);
    }

    @Test
    void rejectsRightPaddingAndIdsOutOfRange() {
        NDArray f = features(new long[] {1, 2, 3});
        assertThatThrownBy(() -> encoder.encode(items(new long[] {4, 5, 0}), f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pad on the left");
        assertThatThrownBy(() -> encoder.encode(items(new long[] {4, 31}), f))
                .hasMessageContaining("item id 31");
        assertThatThrownBy(
                        () ->
                                encoder.encode(
                                        items(new long[] {4}), features(new long[] {11, 0, 0})))
                .hasMessageContaining("feature id 11");
        assertThatThrownBy(() -> encoder.encode(items(new long[] {4}), features(new long[] {1, 2})))
                .hasMessageContaining("features must be [1, 3]");
        assertThatThrownBy(() -> encoder.encode(items(new long[] {1, 2, 3, 4, 5, 6, 7}), f))
                .hasMessageContaining("1 <= T <= 6");
    }

    @Test
    void forwardPassesLeaveNothingOnTheEncodersManager() {
        int before = ((BaseNDManager) encoder.manager()).getManagedArrays().size();
        try (NDManager scope = encoder.manager().newSubManager()) {
            NDArray it = scope.create(new long[][] {{0, 1, 2}});
            NDArray ft = scope.create(new long[][] {{1, 2, 3}});
            NDArray h = encoder.userVector(it, ft);
            encoder.score(h, scope.create(new long[][] {{1, 2, 3}})).toFloatArray();
        }
        encoder.userVectors(List.of(new int[] {1, 2}), List.of(new int[] {1, 0, 0}));
        assertThat(((BaseNDManager) encoder.manager()).getManagedArrays()).hasSize(before);
    }

    @Test
    void scoresAreDotProductsWithTheItemEmbedding() {
        NDArray h = encoder.userVector(items(new long[] {1, 2, 3}), features(new long[] {1, 0, 0}));
        float[] hu = h.toFloatArray();
        float[] e = encoder.itemEmbedding().toFloatArray();
        float[] s = encoder.score(h, items(new long[] {5, 17, 30})).toFloatArray();
        int[] cands = {5, 17, 30};
        for (int c = 0; c < 3; c++) {
            double dot = 0;
            for (int j = 0; j < 8; j++) {
                dot += hu[j] * e[cands[c] * 8 + j];
            }
            assertThat((double) s[c]).isCloseTo(dot, within(1e-5));
        }
    }

    @Test
    void dropoutActsOnlyWhileTraining() {
        CsaConfig withDropout =
                CsaConfig.builder()
                        .setNumItems(30)
                        .setNumFeatureValues(10)
                        .setNumFeatureFields(3)
                        .setMaxLength(6)
                        .optHidden(8)
                        .optHeads(2)
                        .optDropout(0.5)
                        .build();
        try (CsaEncoder e = CsaEncoder.create(withDropout);
                NDManager scope = e.manager().newSubManager()) {
            NDArray it = scope.create(new long[][] {{0, 1, 2, 3}});
            NDArray ft = scope.create(new long[][] {{1, 2, 3}});
            float[] eval1 = e.encode(it, ft).toFloatArray();
            float[] eval2 = e.encode(it, ft).toFloatArray();
            assertThat(eval1).containsExactly(eval2);
            Seeds.seedEngine(1);
            float[] train1 = e.forward(it, ft, true).toFloatArray();
            Seeds.seedEngine(2);
            float[] train2 = e.forward(it, ft, true).toFloatArray();
            Seeds.seedEngine(1);
            float[] train1Again = e.forward(it, ft, true).toFloatArray();
            assertThat(maxAbsDiff(train1, eval1)).isGreaterThan(1e-3);
            assertThat(maxAbsDiff(train1, train2)).isGreaterThan(1e-3);
            assertThat(train1Again).as("seeded dropout repeats").containsExactly(train1);
        }
    }

    float[] userVector(long[] history, long[] features) {
        return encoder.userVector(items(history), features(features)).toFloatArray();
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
