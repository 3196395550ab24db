package org.coea.model.csa;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared helpers of the CSA tests: tiny configs, randomised weights, the engine thread count. */
final class CsaFixtures {
    private CsaFixtures() {}

    /** d = 8, 2 heads, 2 layers, L = 6, 30 items, 3 feature fields over 10 values. */
    static CsaConfig tiny() {
        return CsaConfig.builder()
                .setNumItems(30)
                .setNumFeatureValues(10)
                .setNumFeatureFields(3)
                .setMaxLength(6)
                .optHidden(8)
                .optHeads(2)
                .optSeed(7)
                .build();
    }

    /**
     * Overwrites every weight with seeded normal(0, 0.5) values, so that biases and norm parameters
     * (0 and 1 at initialisation) take part in the comparison too.
     */
    static void randomise(CsaEncoder encoder, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (NDArray p : encoder.parameters().values()) {
            float[] v = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.5 * (random.nextDouble() * 2 - 1) * Math.sqrt(3));
            }
            p.set(v);
        }
    }

    /** The weights as row-major floats, for {@link NaiveCsa}. */
    static Map<String, float[]> weights(CsaEncoder encoder) {
        Map<String, float[]> out = new LinkedHashMap<>();
        encoder.parameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /**
     * Sets the engine's intra-op threads and returns the previous count. The CSA tensors are tiny:
     * measured here, a training step of the learning test took about 20 ms at one or two threads on
     * a nearly idle machine, but 0.6-0.9 s at two threads against 20-30 ms at one while other
     * builds shared the two cores (two OpenMP threads wait on each other at every operation).
     */
    static int engineThreads(int threads) {
        Engine.getInstance();
        int previous = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        return previous;
    }
}
