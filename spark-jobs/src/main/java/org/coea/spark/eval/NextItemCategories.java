package org.coea.spark.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code SASRec} baseline's category list: the CSA encoder (SASRec blocks) read as a next-item
 * model. With h_u the user vector and E the item embedding, every item i gets p(i) = softmax_i
 * <h_u, E_i> over the whole catalogue, a category the probability mass of its items, and the
 * categories rank by that mass (ties by id). Engine-free: plain arrays, shipped to executors.
 */
final class NextItemCategories implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] embedding;
    private final int dim;
    private final int[][] itemCategories;
    private final int categories;

    /**
     * @param embedding E row-major, {@code [items + 1][dim]}; row 0 is padding and never scored
     * @param itemCategories per item row, its category ids (empty for unknown items)
     * @param categories the catalogue size
     */
    NextItemCategories(float[] embedding, int dim, int[][] itemCategories, int categories) {
        if (embedding.length != itemCategories.length * dim) {
            throw new IllegalArgumentException(
                    "embedding has "
                            + embedding.length / dim
                            + " rows but "
                            + itemCategories.length
                            + " items have categories");
        }
        this.embedding = embedding;
        this.dim = dim;
        this.itemCategories = itemCategories;
        this.categories = categories;
    }

    /** The k categories of highest next-item probability mass for a user vector. */
    List<Integer> top(float[] h, int k) {
        if (h.length != dim) {
            throw new IllegalArgumentException(
                    "user vector has " + h.length + " values, the encoder " + dim);
        }
        int items = itemCategories.length;
        double[] logits = new double[items];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < items; i++) {
            double s = 0;
            int base = i * dim;
            for (int j = 0; j < dim; j++) {
                s += h[j] * embedding[base + j];
            }
            logits[i] = s;
            max = Math.max(max, s);
        }
        double[] mass = new double[categories];
        double z = 0;
        for (int i = 1; i < items; i++) {
            double p = Math.exp(logits[i] - max);
            z += p;
            for (int c : itemCategories[i]) {
                if (c >= 0 && c < categories) {
                    mass[c] += p;
                }
            }
        }
        Integer[] order = new Integer[categories];
        for (int c = 0; c < categories; c++) {
            order[c] = c;
            mass[c] /= z;
        }
        Arrays.sort(order, (a, b) -> mass[a] != mass[b] ? Double.compare(mass[b], mass[a]) : a - b);
        return new ArrayList<>(Arrays.asList(order).subList(0, Math.min(k, categories)));
    }
}
