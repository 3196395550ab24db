package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {
    private static int[] lengths(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 1 + r.nextInt(200);
        }
        return out;
    }

    @Test
    void everyExampleIsInExactlyOneBatchPerEpoch() {
        int n = 1000;
        int batch = 7;
        List<int[]> batches = LengthBuckets.batches(lengths(n, 1), batch, 3, 42);
        int[] seen = new int[n];
        int perEpoch = 0;
        for (int[] b : batches) {
            assertThat(b.length).isBetween(1, batch);
            for (int e : b) {
                seen[e]++;
            }
        }
        assertThat(seen).containsOnly(3);
        // one pool of 32 batches holds 224 examples: 4 full pools and one of 104 -> 143 + 15
        perEpoch = 4 * LengthBuckets.POOL_BATCHES + (104 + batch - 1) / batch;
        assertThat(batches).hasSize(3 * perEpoch);
    }

    @Test
    void batchesOfAPoolHoldNeighbouringLengths() {
        int batch = 16;
        int n = batch * LengthBuckets.POOL_BATCHES; // exactly one pool per epoch
        int[] lengths = lengths(n, 2);
        List<int[]> batches = LengthBuckets.batches(lengths, batch, 1, 7);
        List<int[]> ranges = new ArrayList<>();
        for (int[] b : batches) {
            int min = Arrays.stream(b).map(i -> lengths[i]).min().orElseThrow();
            int max = Arrays.stream(b).map(i -> lengths[i]).max().orElseThrow();
            ranges.add(new int[] {min, max});
        }
        // sorted pool cut in order: the ranges do not overlap
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isGreaterThanOrEqualTo(ranges.get(i - 1)[1]);
        }
        // and the padded work (rows x longest row) is well below that of unsorted batches
        long bucketed = 0;
        for (int[] b : batches) {
            bucketed += (long) b.length * Arrays.stream(b).map(i -> lengths[i]).max().orElseThrow();
        }
        long unsorted = 0;
        for (int from = 0; from < n; from += batch) {
            unsorted +=
                    (long) batch * Arrays.stream(lengths, from, from + batch).max().orElseThrow();
        }
        assertThat(bucketed).isLessThan(unsorted * 2 / 3);
    }

    @Test
    void batchesAreSeededAndChangeFromEpochToEpoch() {
        int[] lengths = lengths(300, 3);
        List<int[]> a = LengthBuckets.batches(lengths, 10, 2, 5);
        List<int[]> b = LengthBuckets.batches(lengths, 10, 2, 5);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).containsExactly(b.get(i));
        }
        int perEpoch = a.size() / 2;
        boolean differs = false;
        for (int i = 0; i < perEpoch; i++) {
            differs |= !Arrays.equals(a.get(i), a.get(perEpoch + i));
        }
        assertThat(differs).isTrue();
        List<int[]> other = LengthBuckets.batches(lengths, 10, 1, 6);
        assertThat(Arrays.equals(other.get(0), a.get(0))).isFalse();
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> LengthBuckets.batches(new int[] {1}, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LengthBuckets.batches(new int[] {1}, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
