package org.coea.model.generate;

/**
 * How to decode. Build with {@link #greedy(int)}, {@link #sampling(int, double, int, double, long)}
 * or {@link #beam(int, int)}.
 *
 * @param maxNewTokens the most tokens to generate per sequence
 * @param strategy greedy, sampling or beam search
 * @param temperature sampling temperature (> 0)
 * @param topK keep only the k most likely tokens (0 = all)
 * @param topP keep the smallest set of tokens whose probability reaches p (1 = all)
 * @param numBeams beams for beam search
 * @param seed the sampling seed
 */
public record GenerationConfig(
        int maxNewTokens,
        Strategy strategy,
        double temperature,
        int topK,
        double topP,
        int numBeams,
        long seed) {

    /** Decoding strategies. */
    public enum Strategy {
        GREEDY,
        SAMPLE,
        BEAM
    }

    /** Validates the settings. */
    public GenerationConfig {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive");
        }
        if (temperature <= 0 || topK < 0 || topP <= 0 || topP > 1 || numBeams <= 0) {
            throw new IllegalArgumentException(
                    "need temperature > 0, topK >= 0, 0 < topP <= 1, numBeams > 0");
        }
    }

    /** Greedy decoding. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, Strategy.GREEDY, 1.0, 0, 1.0, 1, 0);
    }

    /** Seeded temperature / top-k / top-p sampling. */
    public static GenerationConfig sampling(
            int maxNewTokens, double temperature, int topK, double topP, long seed) {
        return new GenerationConfig(
                maxNewTokens, Strategy.SAMPLE, temperature, topK, topP, 1, seed);
    }

    /** Beam search (length-normalised log-probability). */
    public static GenerationConfig beam(int maxNewTokens, int numBeams) {
        return new GenerationConfig(maxNewTokens, Strategy.BEAM, 1.0, 0, 1.0, numBeams, 0);
    }
}
