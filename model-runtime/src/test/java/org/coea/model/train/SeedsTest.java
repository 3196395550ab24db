package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void seedingTheEngineRepeatsItsRandomNumbers() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(7);
            float[] first = manager.randomNormal(new Shape(16)).toFloatArray();
            float[] firstUniform = manager.randomUniform(0f, 1f, new Shape(4)).toFloatArray();
            Seeds.seedEngine(7);
            float[] again = manager.randomNormal(new Shape(16)).toFloatArray();
            float[] againUniform = manager.randomUniform(0f, 1f, new Shape(4)).toFloatArray();
            Seeds.seedEngine(8);
            float[] other = manager.randomNormal(new Shape(16)).toFloatArray();

            assertThat(again).isEqualTo(first);
            assertThat(againUniform).isEqualTo(firstUniform);
            assertThat(other).isNotEqualTo(first);
        }
    }

    @Test
    void shuffledOrdersArePermutationsFixedBySeedAndEpoch() {
        int[] order = Seeds.shuffledOrder(5, 0, 100);
        assertThat(Arrays.stream(order).sorted().toArray())
                .isEqualTo(IntStream.range(0, 100).toArray());
        assertThat(order).as("shuffled").isNotEqualTo(IntStream.range(0, 100).toArray());
        assertThat(Seeds.shuffledOrder(5, 0, 100)).isEqualTo(order);
        assertThat(Seeds.shuffledOrder(5, 1, 100)).isNotEqualTo(order);
        assertThat(Seeds.shuffledOrder(6, 0, 100)).isNotEqualTo(order);
        assertThat(Seeds.shuffledOrder(5, 3, 0)).isEmpty();
    }

    @Test
    void derivedSeedsDifferAcrossStreamsAndRuns() {
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            for (long stream = -1; stream < 50; stream++) {
                seen.add(Seeds.derive(seed, stream));
            }
        }
        assertThat(seen).hasSize(20 * 51);
        assertThat(Seeds.derive(1, 2)).isEqualTo(Seeds.derive(1, 2));
        assertThat(Seeds.random(9).nextLong()).isEqualTo(new java.util.Random(9).nextLong());
    }
}
