package org.coea.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.Objects;
import org.coea.model.nd.Scalars;

/**
 * Reads, measures, clips and zeroes the gradients of trainable parameters on the PyTorch engine.
 *
 * <p>On this engine a parameter's gradient accumulates: every {@code backward} adds into it, across
 * backward calls in one {@code GradientCollector} and across collectors, until it is zeroed (DJL's
 * PyTorch collector does not zero gradients when it opens). That makes gradient accumulation over
 * micro-batches free, and makes {@link #zeroGradients} after each optimizer step mandatory.
 *
 * <p>A parameter has a gradient once a backward pass has reached it; one that requires gradients
 * but was never on a backward path has none (DJL's {@code getGradient()} would hand back a fresh
 * array of zeros, indistinguishable from a real zero gradient), and these helpers skip it. Zeroing
 * keeps the gradient in place, as PyTorch's {@code zero_grad(set_to_none=False)} does, so a
 * parameter that had a gradient once has a (zero) gradient from then on.
 */
public final class Gradients {
    /** Added to the norm before dividing, as PyTorch's {@code clip_grad_norm_} does. */
    static final double CLIP_EPSILON = 1e-6;

    private Gradients() {}

    /**
     * The L2 norm of all gradients together, {@code sqrt(sum over params of sum(g^2))}, with each
     * gradient squared and summed in float32 on its device; parameters without a gradient count as
     * zero.
     */
    public static double globalNorm(Collection<NDArray> params) {
        Objects.requireNonNull(params, "params");
        double sumOfSquares = 0;
        for (NDArray param : params) {
            try (NDManager scope = param.getManager().newSubManager()) {
                NDArray gradient = gradientOrNull(param, scope);
                if (gradient != null) {
                    NDArray g = gradient.toType(DataType.FLOAT32, false);
                    sumOfSquares += g.square().sum().getFloat();
                }
            }
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * Scales all gradients in place by {@code min(1, maxNorm / (norm + 1e-6))}, where {@code norm}
     * is their {@link #globalNorm}, so that their global norm is at most {@code maxNorm}.
     *
     * <p>When the norm is not finite (an overflow or a NaN loss) the gradients are left as they are
     * and the norm is returned, so that the trainer can see it and skip the step.
     *
     * @return the global norm before clipping
     */
    public static double clipGlobalNorm(Collection<NDArray> params, double maxNorm) {
        if (!(maxNorm > 0) || !Double.isFinite(maxNorm)) {
            throw new IllegalArgumentException(
                    "maxNorm must be positive and finite, got " + maxNorm);
        }
        double norm = globalNorm(params);
        double coefficient = maxNorm / (norm + CLIP_EPSILON);
        if (!Double.isFinite(norm) || coefficient >= 1) {
            return norm;
        }
        for (NDArray param : params) {
            try (NDManager scope = param.getManager().newSubManager()) {
                NDArray gradient = gradientOrNull(param, scope);
                if (gradient != null) {
                    gradient.muli(Scalars.like(gradient, coefficient));
                }
            }
        }
        return norm;
    }

    /**
     * Sets every gradient to zero in place, NaN and infinite entries included; parameters without a
     * gradient are left without one.
     */
    public static void zeroGradients(Collection<NDArray> params) {
        Objects.requireNonNull(params, "params");
        for (NDArray param : params) {
            if (param.hasGradient()) {
                JniUtils.zeroGrad(pytorch(param));
            }
        }
    }

    /**
     * The gradient of {@code param} as a new handle owned by {@code scope} (it shares the
     * gradient's memory: in-place operations on it change the gradient), or {@code null} when the
     * parameter does not require gradients or no backward pass has reached it yet.
     */
    static NDArray gradientOrNull(NDArray param, NDManager scope) {
        if (!param.hasGradient()) {
            return null;
        }
        NDArray gradient = JniUtils.getGradient(pytorch(param));
        if (gradient != null) {
            gradient.attach(scope);
        }
        return gradient;
    }

    /** Whether a backward pass has reached {@code param} since it started requiring gradients. */
    static boolean hasGradient(NDArray param) {
        try (NDManager scope = param.getManager().newSubManager()) {
            return gradientOrNull(param, scope) != null;
        }
    }

    private static PtNDArray pytorch(NDArray param) {
        if (param instanceof PtNDArray pt) {
            return pt;
        }
        throw new IllegalArgumentException(
                "gradients are read through the PyTorch engine, the only engine this module"
                        + " ships; got an array of "
                        + param.getClass().getName());
    }
}
