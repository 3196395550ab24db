package org.coea.model.train;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import org.coea.model.nd.Scalars;

/**
 * Counts micro-batches towards one optimizer step and scales each micro-batch loss by {@code 1 /
 * steps}, so that the gradients that accumulate over the window (see {@link Gradients}) equal those
 * of one batch {@code steps} times as large.
 *
 * <p>With losses that average over their micro-batch, equal micro-batches make the accumulated
 * gradient the gradient of the mean loss over all of them. The accumulator holds no arrays: the
 * gradients accumulate in the parameters themselves.
 */
public final class GradientAccumulator {
    private final int steps;
    private int pending;

    /** An accumulator over {@code steps} micro-batches per optimizer step (1: no accumulation). */
    public GradientAccumulator(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("accumulation steps must be >= 1, got " + steps);
        }
        this.steps = steps;
    }

    /** The number of micro-batches per optimizer step. */
    public int steps() {
        return steps;
    }

    /**
     * {@code loss / steps}, gradient-safe, to pass to {@code backward}; the loss itself with one
     * step.
     */
    public NDArray scale(NDArray loss) {
        Objects.requireNonNull(loss, "loss");
        return steps == 1 ? loss : Scalars.div(loss, steps);
    }

    /**
     * Counts one finished micro-batch (after its backward pass).
     *
     * @return whether it completes the window, so that the optimizer should step now and the
     *     gradients be zeroed; the count then starts over
     */
    public boolean advance() {
        pending++;
        if (pending == steps) {
            pending = 0;
            return true;
        }
        return false;
    }

    /** The micro-batches counted in the current, incomplete window. */
    public int pending() {
        return pending;
    }
}
