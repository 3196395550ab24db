package org.coea.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Token sequences padded into one batch: ids and attention mask {@code [B, L]} (int64), with the
 * padding on the left (for generation, so every row ends at the last column) or on the right (for
 * scoring).
 *
 * @param ids token ids, padded with the pad id
 * @param mask 1 for tokens, 0 for padding
 * @param lengths the unpadded lengths
 */
public record TokenBatch(NDArray ids, NDArray mask, int[] lengths) {

    /** Pads sequences to the longest one. */
    public static TokenBatch of(NDManager manager, List<int[]> rows, int padId, boolean left) {
        int max = 0;
        for (int[] r : rows) {
            max = Math.max(max, r.length);
        }
        long[][] ids = new long[rows.size()][max];
        long[][] mask = new long[rows.size()][max];
        int[] lengths = new int[rows.size()];
        for (int b = 0; b < rows.size(); b++) {
            int[] r = rows.get(b);
            lengths[b] = r.length;
            int offset = left ? max - r.length : 0;
            java.util.Arrays.fill(ids[b], padId);
            for (int i = 0; i < r.length; i++) {
                ids[b][offset + i] = r[i];
                mask[b][offset + i] = 1;
            }
        }
        return new TokenBatch(manager.create(ids), manager.create(mask), lengths);
    }
}
