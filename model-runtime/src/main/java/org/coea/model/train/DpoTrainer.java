package org.coea.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coea.model.generate.SequenceScorer;
import org.coea.model.nd.Scalars;
import org.coea.model.objective.Objectives;
import org.coea.model.qwen2.Qwen2Model;

/**
 * The periodic alignment of the Novelty model (Eq. 16-17): sigmoid DPO against a frozen reference
 * (the previous cycle's adapter, or the base model) plus {@code lambda * KL(policy || reference)}
 * per token. Logs the chosen and rejected implicit rewards ({@code beta * log-ratio}), their
 * margin, the preference accuracy and the KL.
 */
public final class DpoTrainer {
    private final Qwen2Model model;
    private final String policy;
    private final String reference;
    private final Map<String, NDArray> parameters;
    private final int padId;
    private final double beta;
    private final double lambda;

    /**
     * @param policy the adapter being trained
     * @param reference the frozen adapter of the previous cycle ({@link Qwen2Model#BASE} for the
     *     base model); never updated
     * @param beta the DPO temperature (the paper: 0.1)
     * @param lambda the KL coefficient (the paper: 0.1; 0 disables the constraint)
     */
    public DpoTrainer(
            Qwen2Model model,
            String policy,
            String reference,
            Map<String, NDArray> parameters,
            int padId,
            double beta,
            double lambda) {
        if (policy.equals(reference)) {
            throw new IllegalArgumentException(
                    "the DPO reference must differ from the policy adapter");
        }
        this.model = model;
        this.policy = policy;
        this.reference = reference;
        this.parameters = Map.copyOf(parameters);
        this.padId = padId;
        this.beta = beta;
        this.lambda = lambda;
    }

    /** Trains on the pairs. */
    public TrainingLog train(List<PreferencePair> pairs, TrainingOptions options, TrainingLog log) {
        return TrainingLoop.run(
                model.manager(),
                parameters,
                pairs.size(),
                (m, idx) -> {
                    Batch b = batch(m, pairs, idx);
                    NDArray loss = Objectives.dpo(b.margin, beta);
                    if (lambda > 0) {
                        loss = loss.add(Scalars.mul(b.kl, lambda));
                    }
                    return new TrainingLoop.LossOutput(loss, b.figures(beta));
                },
                options,
                log);
    }

    /** The mean log-ratio margin, accuracy and KL on pairs, without training. */
    public Map<String, Double> evaluate(List<PreferencePair> pairs) {
        int[] idx = new int[pairs.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        try (NDManager m = model.manager().newSubManager()) {
            return batch(m, pairs, idx).figures(beta);
        }
    }

    private record Batch(NDArray chosenRatio, NDArray rejectedRatio, NDArray margin, NDArray kl) {
        Map<String, Double> figures(double beta) {
            return Map.of(
                    "chosen_reward", beta * chosenRatio.mean().getFloat(),
                    "rejected_reward", beta * rejectedRatio.mean().getFloat(),
                    "margin", (double) margin.mean().getFloat(),
                    "accuracy",
                            (double) margin.gt(0).toType(DataType.FLOAT32, false).mean().getFloat(),
                    "kl", (double) kl.getFloat());
        }
    }

    private Batch batch(NDManager m, List<PreferencePair> pairs, int[] idx) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> continuations = new ArrayList<>();
        for (int i : idx) {
            prompts.add(pairs.get(i).prompt());
            continuations.add(pairs.get(i).chosen());
        }
        for (int i : idx) {
            prompts.add(pairs.get(i).prompt());
            continuations.add(pairs.get(i).rejected());
        }
        SequenceScorer.Scored pol =
                SequenceScorer.score(model, m, prompts, continuations, padId, policy);
        SequenceScorer.Scored ref =
                SequenceScorer.score(model, m, prompts, continuations, padId, reference);
        int n = idx.length;
        NDArray ps = pol.sum();
        NDArray rs = ref.sum().stopGradient();
        NDArray chosenRatio = ps.get("0:" + n).sub(rs.get("0:" + n));
        NDArray rejectedRatio = ps.get(n + ":").sub(rs.get(n + ":"));
        NDArray margin = chosenRatio.sub(rejectedRatio);
        NDArray kl =
                Objectives.tokenKl(
                        pol,
                        new SequenceScorer.Scored(
                                ref.tokenLogProbs(),
                                ref.targetMask(),
                                ref.logSoftmax().stopGradient(),
                                ref.targets()));
        return new Batch(chosenRatio, rejectedRatio, margin, kl);
    }
}
