package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParameterAveragingTest {
    @Test
    void meanMatchesANaiveDoubleComputation() {
        SplittableRandom r = new SplittableRandom(4);
        List<Map<String, float[]>> workers =
                List.of(random(r, 50, 3), random(r, 50, 3), random(r, 50, 3));
        Map<String, float[]> mean = ParameterAveraging.mean(workers);
        assertThat(mean.keySet()).containsExactly("a", "b");
        for (String name : List.of("a", "b")) {
            for (int i = 0; i < mean.get(name).length; i++) {
                double sum = 0;
                for (Map<String, float[]> w : workers) {
                    sum += w.get(name)[i];
                }
                assertThat((double) mean.get(name)[i]).isCloseTo(sum / 3, within(1e-6));
            }
        }
    }

    @Test
    void workersThatDisagreeAreNamed() {
        SplittableRandom r = new SplittableRandom(5);
        Map<String, float[]> ok = random(r, 4, 2);
        Map<String, float[]> shorter = new LinkedHashMap<>(ok);
        shorter.put("b", new float[1]);
        assertThatThrownBy(() -> ParameterAveraging.mean(List.of(ok, shorter)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("worker 1")
                .hasMessageContaining("parameter b");
        Map<String, float[]> extra = new LinkedHashMap<>(ok);
        extra.put("c", new float[1]);
        assertThatThrownBy(() -> ParameterAveraging.mean(List.of(ok, extra)))
                .hasMessageContaining("worker 1 has parameters");
    }

    @Test
    void averagesInPlaceOnlyEveryNStepsAndAfterTheLast() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            Map<String, NDArray> params = Map.of("w", p);
            int[] calls = {0};
            ParameterAveraging avg =
                    new ParameterAveraging(
                            (round, mine) -> {
                                calls[0]++;
                                return List.of(mine, Map.of("w", new float[] {3, 4, 5, 6}));
                            },
                            3,
                            7);
            for (long step = 1; step <= 7; step++) {
                avg.accept(step, params);
            }
            // steps 3, 6 and 7: (1+3)/2=2, then (2+3)/2=2.5, then (2.5+3)/2=2.75
            assertThat(calls[0]).isEqualTo(3);
            assertThat(avg.rounds()).isEqualTo(3);
            assertThat(p.toFloatArray()).containsExactly(2.75f, 3.75f, 4.75f, 5.75f);
            assertThat(p.getShape()).isEqualTo(new ai.djl.ndarray.types.Shape(2, 2));
        }
    }

    private static Map<String, float[]> random(SplittableRandom r, int a, int b) {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("a", floats(r, a));
        out.put("b", floats(r, b));
        return out;
    }

    private static float[] floats(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
