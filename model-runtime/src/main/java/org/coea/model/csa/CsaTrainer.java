package org.coea.model.csa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.coea.model.nd.Scalars;
import org.coea.model.objective.Objectives;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingLoop;
import org.coea.model.train.TrainingOptions;

/**
 * Trains a {@link CsaEncoder} as a SASRec next-item model (the objective METHOD.md interprets for
 * DSIE): at every real position t the target is the next item (the feature token predicts the
 * first), and the loss is binary cross-entropy with one sampled negative per position, {@code -log
 * sigmoid(<h_t, E[pos]>) - log sigmoid(-<h_t, E[neg]>)}, averaged over the real positions of the
 * batch. Negatives are uniform over the items other than the positive, drawn from the engine's
 * generator, which {@link TrainingLoop} seeds per step.
 *
 * <p>Batches hold users of similar sequence length ({@link LengthBuckets}): every user once per
 * epoch, the batches visited in a seeded random order; {@code options.batchSize()} users per batch.
 */
public final class CsaTrainer {
    /** The share of positions whose positive outscores its negative, logged with every step. */
    public static final String PAIR_ACCURACY = "pair_accuracy";

    private final CsaEncoder encoder;

    /** A trainer of all of the encoder's weights. */
    public CsaTrainer(CsaEncoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * Trains on one example per user: the user's item sequence (oldest first) truncated to its last
     * {@code maxLength + 1} items, with the user's feature ids. Users without items are skipped.
     *
     * @param sequences item ids {@code 1..numItems} per user, oldest first
     * @param features {@code numFeatureFields} feature ids per user, aligned with {@code sequences}
     * @return the step log (loss, learning rate, gradient norm, {@value #PAIR_ACCURACY})
     */
    public TrainingLog train(
            List<int[]> sequences, List<int[]> features, TrainingOptions options, TrainingLog log) {
        return train(sequences, features, options, log, (step, params) -> {});
    }

    /**
     * {@link #train(List, List, TrainingOptions, TrainingLog)} with a hook after every step, e.g.
     * {@link org.coea.model.train.ParameterAveraging} for data-parallel training.
     */
    public TrainingLog train(
            List<int[]> sequences,
            List<int[]> features,
            TrainingOptions options,
            TrainingLog log,
            TrainingLoop.AfterStep afterStep) {
        NextItemExamples examples = NextItemExamples.of(encoder.config(), sequences, features);
        if (examples.size() == 0) {
            throw new IllegalArgumentException("no user has an item to train on");
        }
        int perEpoch = (examples.size() + options.batchSize() - 1) / options.batchSize();
        long batchesNeeded = (long) options.steps() * options.accumulation();
        int epochs = (int) Math.max(1, (batchesNeeded + perEpoch - 1) / perEpoch);
        List<int[]> batches =
                LengthBuckets.batches(
                        examples.lengths(), options.batchSize(), epochs, options.seed());
        // The loop draws one prepared batch per micro-batch.
        return TrainingLoop.run(
                encoder.manager(),
                encoder.parameters(),
                batches.size(),
                (m, idx) -> loss(m, examples.batch(m, batches.get(idx[0]))),
                options.withBatchSize(1),
                log,
                afterStep);
    }

    /** The loss and pair accuracy of a batch {inputs, features, targets}. */
    TrainingLoop.LossOutput loss(NDManager m, NDArray[] batch) {
        NDArray inputs = batch[0];
        NDArray features = batch[1];
        NDArray targets = batch[2];
        NDArray hidden = encoder.forward(inputs, features, true);
        NDArray negatives = negatives(m, targets, encoder.config().numItems());
        NDArray positive = logits(hidden, targets);
        NDArray negative = logits(hidden, negatives);
        NDArray real = targets.gt(Scalars.like(targets, 0)).toType(DataType.FLOAT32, false);
        NDArray count = real.sum();
        NDArray perPosition =
                Objectives.logSigmoid(positive).add(Objectives.logSigmoid(negative.neg()));
        NDArray loss = perPosition.mul(real).sum().div(count).neg();
        double accuracy =
                positive.gt(negative)
                        .toType(DataType.FLOAT32, false)
                        .mul(real)
                        .sum()
                        .div(count)
                        .getFloat();
        return new TrainingLoop.LossOutput(loss, Map.of(PAIR_ACCURACY, accuracy));
    }

    /** {@code <h_t, E[item_t]>} per position, {@code [B, S]}. */
    private NDArray logits(NDArray hidden, NDArray items) {
        return CsaEncoder.embed(items, encoder.itemEmbedding()).mul(hidden).sum(new int[] {-1});
    }

    /**
     * One negative per target: r uniform in {@code 1..numItems-1}, shifted up by one where {@code r
     * >= target}, which makes it uniform over {@code 1..numItems} without the target.
     */
    static NDArray negatives(NDManager m, NDArray targets, int numItems) {
        NDArray r = m.randomInteger(1, numItems, targets.getShape(), DataType.INT64);
        return r.add(r.gte(targets).toType(DataType.INT64, false));
    }
}
