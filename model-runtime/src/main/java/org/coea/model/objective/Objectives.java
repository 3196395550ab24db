package org.coea.model.objective;

import ai.djl.ndarray.NDArray;
import org.coea.model.generate.SequenceScorer;
import org.coea.model.nd.Scalars;

/**
 * The losses, as differentiable NDArray expressions; every constant goes through {@link Scalars}
 * (PLATFORM.md: scalar ops corrupt gradients otherwise).
 */
public final class Objectives {
    private Objectives() {}

    /**
     * Eq. 9: the SFT loss, mean negative log-likelihood per target token over the batch (prompt
     * tokens carry no loss).
     */
    public static NDArray sft(SequenceScorer.Scored scored) {
        return scored.tokenLogProbs().sum().neg().div(scored.targetMask().sum());
    }

    /** Eq. 12: {@code mean(-log sigmoid(r(x, c+) - r(x, c-)))} over pairs {@code [B]}. */
    public static NDArray pairwise(NDArray rewardChosen, NDArray rewardRejected) {
        return logSigmoid(rewardChosen.sub(rewardRejected)).neg().mean();
    }

    /**
     * The DPO implicit reward margin per pair (before beta): {@code (log pi(c_w) - log ref(c_w)) -
     * (log pi(c_l) - log ref(c_l))}, each a sequence log-probability {@code [B]}.
     */
    public static NDArray dpoMargin(
            NDArray policyChosen, NDArray policyRejected, NDArray refChosen, NDArray refRejected) {
        return policyChosen.sub(refChosen).sub(policyRejected.sub(refRejected));
    }

    /** Eq. 16: {@code mean(-log sigmoid(beta * margin))}, the sigmoid DPO loss. */
    public static NDArray dpo(NDArray margin, double beta) {
        return logSigmoid(Scalars.mul(margin, beta)).neg().mean();
    }

    /**
     * Eq. 17's KL(policy || reference), estimated per token: at each target position the exact KL
     * between the two next-token distributions, {@code sum_v p(v) (log p(v) - log q(v))}, averaged
     * over the target tokens of the batch.
     *
     * @param policy scored by the policy (its {@code logSoftmax} is used)
     * @param reference scored by the frozen reference on the same batch
     */
    public static NDArray tokenKl(SequenceScorer.Scored policy, SequenceScorer.Scored reference) {
        NDArray lp = policy.logSoftmax();
        NDArray lq = reference.logSoftmax();
        NDArray perToken = lp.exp().mul(lp.sub(lq)).sum(new int[] {-1});
        NDArray mask = policy.targetMask();
        return perToken.mul(mask).sum().div(mask.sum());
    }

    /**
     * {@code log sigmoid(x) = -softplus(-x)}, stable for large |x|: {@code min(x, 0) -
     * log1p(exp(-|x|))}.
     */
    public static NDArray logSigmoid(NDArray x) {
        NDArray zero = Scalars.like(x, 0.0);
        return x.minimum(zero).sub(Scalars.add(x.abs().neg().exp(), 1.0).log());
    }
}
