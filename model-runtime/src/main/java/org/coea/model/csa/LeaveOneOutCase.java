package org.coea.model.csa;

import java.util.Arrays;

/**
 * One user's case in the leave-one-out protocol: the history the model reads (oldest first, the
 * held-out item excluded) and the held-out item it should rank high; every item of the case counts
 * as interacted when negatives are drawn.
 *
 * @param history item ids, oldest first (the encoder reads the last {@code maxLength})
 * @param heldOutItem the held-out (usually the last) item
 * @param features the user's feature ids (one per field, 0 = absent)
 */
public record LeaveOneOutCase(int[] history, int heldOutItem, int[] features) {

    /** Copies the arrays and checks that item ids are positive. */
    public LeaveOneOutCase {
        history = history.clone();
        features = features.clone();
        if (heldOutItem < 1) {
            throw new IllegalArgumentException("held-out item id must be >= 1, got " + heldOutItem);
        }
        for (int item : history) {
            if (item < 1) {
                throw new IllegalArgumentException("history item id must be >= 1, got " + item);
            }
        }
    }

    /** The case that holds out the last item of a sequence of at least one item. */
    public static LeaveOneOutCase lastItem(int[] sequence, int[] features) {
        if (sequence.length == 0) {
            throw new IllegalArgumentException("an empty sequence has no item to hold out");
        }
        return new LeaveOneOutCase(
                Arrays.copyOf(sequence, sequence.length - 1),
                sequence[sequence.length - 1],
                features);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeaveOneOutCase c
                && heldOutItem == c.heldOutItem
                && Arrays.equals(history, c.history)
                && Arrays.equals(features, c.features);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(history) + heldOutItem) + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "LeaveOneOutCase[history="
                + Arrays.toString(history)
                + ", heldOutItem="
                + heldOutItem
                + ", features="
                + Arrays.toString(features)
                + "]";
    }
}
