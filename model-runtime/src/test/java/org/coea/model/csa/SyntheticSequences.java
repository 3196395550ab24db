package org.coea.model.csa;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic users for the learning tests: user u belongs to group g (one of {@link #STEPS}),
 * starts at a random item and moves deterministically, {@code next = (item + step_g) mod K}; its
 * features are the group (field 0) and an uninformative value (field 1).
 */
final class SyntheticSequences {
    static final int[] STEPS = {1, 3, 7, 13};
    static final int NOISE_VALUES = 5;

    final int numItems;
    final List<int[]> sequences = new ArrayList<>();
    final List<int[]> features = new ArrayList<>();

    private SyntheticSequences(int numItems) {
        this.numItems = numItems;
    }

    /**
     * Users with sequences of {@code minLength..maxLength} items over items {@code 1..numItems}.
     */
    static SyntheticSequences generate(
            int users, int numItems, int minLength, int maxLength, long seed) {
        SyntheticSequences s = new SyntheticSequences(numItems);
        Random random = new Random(seed);
        for (int u = 0; u < users; u++) {
            int group = random.nextInt(STEPS.length);
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            int item = random.nextInt(numItems);
            int[] seq = new int[length];
            for (int t = 0; t < length; t++) {
                seq[t] = item + 1;
                item = (item + STEPS[group]) % numItems;
            }
            s.sequences.add(seq);
            s.features.add(new int[] {group + 1, STEPS.length + 1 + random.nextInt(NOISE_VALUES)});
        }
        return s;
    }

    static int numFeatureValues() {
        return STEPS.length + NOISE_VALUES;
    }

    /** The leave-one-out cases: each sequence's last item held out. */
    List<LeaveOneOutCase> cases() {
        List<LeaveOneOutCase> out = new ArrayList<>();
        for (int u = 0; u < sequences.size(); u++) {
            out.add(LeaveOneOutCase.lastItem(sequences.get(u), features.get(u)));
        }
        return out;
    }

    /** The histories (sequences without their last item), the training data. */
    List<int[]> histories() {
        List<int[]> out = new ArrayList<>();
        for (LeaveOneOutCase c : cases()) {
            out.add(c.history());
        }
        return out;
    }
}
