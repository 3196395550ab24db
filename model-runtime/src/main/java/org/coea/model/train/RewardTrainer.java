package org.coea.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coea.model.generate.TokenBatch;
import org.coea.model.objective.Objectives;
import org.coea.model.qwen2.Qwen2Model;

/**
 * Pairwise training of the Relevance model's reward (Eq. 11-12): {@code -log sigmoid(r(x, c+) -
 * r(x, c-))}, with r the reward head on the last token of {@code prompt ++ candidate}.
 */
public final class RewardTrainer {
    private final Qwen2Model model;
    private final String adapter;
    private final Map<String, NDArray> parameters;
    private final int padId;

    /**
     * @param parameters the arrays to train, normally the adapter's and the reward head
     */
    public RewardTrainer(
            Qwen2Model model, String adapter, Map<String, NDArray> parameters, int padId) {
        if (model.rewardHead().isEmpty()) {
            throw new IllegalArgumentException(
                    "the model has no reward head: add one with newRewardHead");
        }
        this.model = model;
        this.adapter = adapter;
        this.parameters = Map.copyOf(parameters);
        this.padId = padId;
    }

    /** Trains on the pairs; logs loss and pair accuracy. */
    public TrainingLog train(List<PreferencePair> pairs, TrainingOptions options, TrainingLog log) {
        return TrainingLoop.run(
                model.manager(),
                parameters,
                pairs.size(),
                (m, idx) -> {
                    NDArray[] r = rewards(m, pairs, idx);
                    double acc =
                            r[0].gt(r[1])
                                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                    .mean()
                                    .getFloat();
                    return new TrainingLoop.LossOutput(
                            Objectives.pairwise(r[0], r[1]), Map.of("pair_accuracy", acc));
                },
                options,
                log);
    }

    /** Rewards {@code [B]} (fp32) of full token sequences. */
    public NDArray rewards(NDManager m, List<int[]> sequences) {
        TokenBatch b = TokenBatch.of(m, sequences, padId, false);
        return model.reward(model.forward(b.ids(), b.mask(), Optional.empty(), adapter), b.mask());
    }

    /** Share of pairs whose chosen sequence gets the higher reward. */
    public double accuracy(List<PreferencePair> pairs, int batch) {
        long right = 0;
        for (int from = 0; from < pairs.size(); from += batch) {
            int[] idx = new int[Math.min(batch, pairs.size() - from)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            try (NDManager m = model.manager().newSubManager()) {
                NDArray[] r = rewards(m, pairs, idx);
                right +=
                        (long)
                                r[0].gt(r[1])
                                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                        .sum()
                                        .getFloat();
            }
        }
        return right / (double) pairs.size();
    }

    private NDArray[] rewards(NDManager m, List<PreferencePair> pairs, int[] idx) {
        List<int[]> seqs = new ArrayList<>();
        for (int i : idx) {
            seqs.add(pairs.get(i).chosenSequence());
        }
        for (int i : idx) {
            seqs.add(pairs.get(i).rejectedSequence());
        }
        NDArray r = rewards(m, seqs);
        return new NDArray[] {r.get("0:" + idx.length), r.get(idx.length + ":")};
    }
}
