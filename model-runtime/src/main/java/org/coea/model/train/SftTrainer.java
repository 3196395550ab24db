package org.coea.model.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.coea.model.generate.SequenceScorer;
import org.coea.model.objective.Objectives;
import org.coea.model.qwen2.Qwen2Model;

/**
 * Supervised fine-tuning of the Novelty model (Eq. 8-9): cross-entropy on the target tokens only,
 * training either a LoRA adapter's parameters or every weight ({@link Qwen2Model#BASE}).
 */
public final class SftTrainer {
    private final Qwen2Model model;
    private final String adapter;
    private final Map<String, ai.djl.ndarray.NDArray> parameters;
    private final int padId;

    /**
     * @param adapter the adapter to train ({@link Qwen2Model#BASE} trains all weights)
     * @param parameters the arrays to train (e.g. {@code LoraAdapters.parameters(model, adapter)}
     *     or {@code model.parameters()})
     */
    public SftTrainer(
            Qwen2Model model,
            String adapter,
            Map<String, ai.djl.ndarray.NDArray> parameters,
            int padId) {
        this.model = Objects.requireNonNull(model);
        this.adapter = Objects.requireNonNull(adapter);
        this.parameters = Map.copyOf(parameters);
        this.padId = padId;
    }

    /**
     * Trains on the examples; returns the step log (loss, learning rate, gradient norm, token
     * accuracy).
     */
    public TrainingLog train(List<SftExample> examples, TrainingOptions options, TrainingLog log) {
        return TrainingLoop.run(
                model.manager(),
                parameters,
                examples.size(),
                (m, idx) -> {
                    SequenceScorer.Scored s = score(m, examples, idx);
                    long[] hits = s.correct();
                    return new TrainingLoop.LossOutput(
                            Objectives.sft(s),
                            Map.of("token_accuracy", hits[0] / (double) hits[1]));
                },
                options,
                log);
    }

    /** Next-token accuracy on the target tokens (argmax = target), in batches of {@code batch}. */
    public double accuracy(List<SftExample> examples, int batch) {
        long hit = 0;
        long total = 0;
        for (int from = 0; from < examples.size(); from += batch) {
            int[] idx = new int[Math.min(batch, examples.size() - from)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            try (NDManager m = model.manager().newSubManager()) {
                long[] h = score(m, examples, idx).correct();
                hit += h[0];
                total += h[1];
            }
        }
        return hit / (double) total;
    }

    private SequenceScorer.Scored score(NDManager m, List<SftExample> examples, int[] idx) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (int i : idx) {
            prompts.add(examples.get(i).prompt());
            targets.add(examples.get(i).target());
        }
        return SequenceScorer.score(model, m, prompts, targets, padId, adapter);
    }
}
