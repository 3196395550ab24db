package org.coea.model.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.norm.Dropout;
import java.util.SplittableRandom;

/**
 * Building blocks the hand-written models share (the CSA encoder, the trained baselines): seeded
 * Xavier-normal initialisation drawn in Java, embedding lookup and inverted dropout.
 */
public final class Layers {
    private Layers() {}

    /**
     * Xavier-normal {@code [rows, cols]}, std {@code sqrt(2 / (rows + cols))}, drawn from {@code
     * random} (Box-Muller) so that a seed gives the same weights on every engine and device; row 0
     * zero when {@code zeroFirstRow} (a padding row).
     */
    public static NDArray xavierNormal(
            NDManager manager, SplittableRandom random, int rows, int cols, boolean zeroFirstRow) {
        double std = Math.sqrt(2.0 / (rows + cols));
        float[] v = new float[Math.multiplyExact(rows, cols)];
        for (int i = zeroFirstRow ? cols : 0; i < v.length; i++) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return manager.create(v, new Shape(rows, cols));
    }

    /** Rows of {@code table} for int64 {@code ids}; the result belongs to the ids' manager. */
    public static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).head();
    }

    /** Inverted dropout while training; the identity otherwise or at rate 0. */
    public static NDArray dropout(NDArray x, double rate, boolean training) {
        if (!training || rate == 0) {
            return x;
        }
        return Dropout.dropout(x, (float) rate, true).head();
    }
}
