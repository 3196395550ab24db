package org.coea.model.train;

import ai.djl.engine.Engine;
import java.util.Random;

/**
 * Seeds for deterministic training: the DJL engine's generator (initialisation, dropout) and Java
 * generators for data order, each derived from one run seed.
 *
 * <p>On the CPU, a run seeded here and fed batches in a seeded order repeats bit for bit. To keep
 * that across a resumed run, derive streams from the run seed and a position ({@link #derive}), not
 * from a generator that has been running since the start: {@link #shuffledOrder} of an epoch and
 * {@code seedEngine(derive(seed, step))} before a step that draws random numbers come out the same
 * whether or not the run was interrupted before.
 */
public final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /**
     * Seeds the default DJL engine's random generator (PyTorch's {@code manual_seed} and DJL's own
     * {@code RandomUtils}); the engine takes an {@code int}, so a {@code long} seed is folded to
     * its 32-bit hash.
     */
    public static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed(Long.hashCode(seed));
    }

    /** A Java generator for data order and sampling, seeded with {@code seed}. */
    public static Random random(long seed) {
        return new Random(seed);
    }

    /**
     * A seed for the stream {@code stream} (an epoch, a step, a worker) of the run seeded with
     * {@code seed}: distinct streams give unrelated seeds (the SplitMix64 finaliser over both).
     */
    public static long derive(long seed, long stream) {
        return mix(mix(seed) + GOLDEN_GAMMA * (stream + 1));
    }

    /**
     * The order in which epoch {@code epoch} visits {@code size} examples: a permutation of {@code
     * 0..size-1} that depends only on the seed and the epoch.
     */
    public static int[] shuffledOrder(long seed, long epoch, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Random random = random(derive(seed, epoch));
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
