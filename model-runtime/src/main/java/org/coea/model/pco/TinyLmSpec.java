package org.coea.model.pco;

import org.coea.model.qwen2.Qwen2Config;

/**
 * The shape of the embedded Qwen2-architecture model trained from scratch on the CPU.
 *
 * @param hidden hidden size
 * @param layers decoder layers
 * @param heads attention heads
 * @param kvHeads key-value heads (grouped-query attention)
 * @param intermediate SwiGLU width
 */
public record TinyLmSpec(int hidden, int layers, int heads, int kvHeads, int intermediate) {
    /** The default: hidden 64, 2 layers, 4 heads, 2 key-value heads, width 128. */
    public static final TinyLmSpec DEFAULT = new TinyLmSpec(64, 2, 4, 2, 128);

    /** Validates the shape. */
    public TinyLmSpec {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || intermediate <= 0) {
            throw new IllegalArgumentException("model sizes must be positive: " + this);
        }
        if (hidden % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden must divide by heads and heads by kv heads: " + this);
        }
    }

    /** The Qwen2 configuration for a vocabulary size (tied embeddings, rope theta 10000). */
    public Qwen2Config config(int vocabSize) {
        return new Qwen2Config(
                vocabSize, hidden, intermediate, layers, heads, kvHeads, 1e-6, 10_000.0, true, 128);
    }
}
