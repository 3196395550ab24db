package org.coea.model.baseline;

import org.coea.model.train.LearningRateSchedule;
import org.coea.model.train.TrainingOptions;

/**
 * How a baseline trains: {@code epochs} passes over its examples in batches of {@code batchSize},
 * AdamW at {@code learningRate} with a 5% linear warm-up and cosine decay, seeded by {@code seed}
 * (batch order, dropout).
 */
public record BaselineTraining(int epochs, int batchSize, double learningRate, long seed) {
    /** Checks the values. */
    public BaselineTraining {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException(
                    "epochs and batch size must be >= 1 and the learning rate > 0, got "
                            + epochs
                            + ", "
                            + batchSize
                            + ", "
                            + learningRate);
        }
    }

    /** The loop options for {@code steps} prepared batches (the loop draws one per step). */
    TrainingOptions loop(int steps) {
        return TrainingOptions.builder()
                .setSteps(steps)
                .setLearningRate(learningRate)
                .optBatchSize(1)
                .optWarmupSteps(steps / 20)
                .optDecay(LearningRateSchedule.Decay.COSINE)
                .optSeed(seed)
                .build();
    }
}
