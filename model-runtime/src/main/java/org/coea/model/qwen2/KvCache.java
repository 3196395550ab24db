package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Keys and values of the tokens seen so far, per layer, each {@code [B, kvHeads, S, headDim]}
 * (after rotary positions), so incremental decoding computes only the new tokens. The caller passes
 * the attention mask of all {@code S + T} positions to every step.
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;
    private final NDArray[] values;

    /** An empty cache for a model with this many layers. */
    public KvCache(int layers) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Number of cached positions (0 when empty). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** Appends a layer's new keys and values and returns the full ones. */
    NDList append(int layer, NDArray k, NDArray v) {
        if (keys[layer] != null) {
            k = NDArrays.concat(new NDList(keys[layer], k), 2);
            v = NDArrays.concat(new NDList(values[layer], v), 2);
        }
        keys[layer] = k;
        values[layer] = v;
        return new NDList(k, v);
    }

    /**
     * Keeps only the given batch rows (for beam search), in this order.
     *
     * @param rows int64 row indices {@code [B']}
     */
    public void select(NDArray rows) {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l] = keys[l].get(rows);
                values[l] = values[l].get(rows);
            }
        }
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l].close();
                values[l].close();
                keys[l] = null;
                values[l] = null;
            }
        }
    }
}
