package org.coea.model.train;

/**
 * A preference between two answers to one prompt: for DPO (Eq. 16) the chosen and rejected
 * continuations after {@code prompt}; for the reward model (Eq. 11-12) the full sequences are
 * {@code prompt ++ chosen} and {@code prompt ++ rejected} (the prompt then ends where the candidate
 * category begins).
 */
public record PreferencePair(int[] prompt, int[] chosen, int[] rejected) {

    /** {@code prompt ++ chosen}. */
    public int[] chosenSequence() {
        return concat(prompt, chosen);
    }

    /** {@code prompt ++ rejected}. */
    public int[] rejectedSequence() {
        return concat(prompt, rejected);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
