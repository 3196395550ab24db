package org.coea.model.train;

import java.util.Objects;

/**
 * The learning rate of each optimizer step: a linear warmup to a peak, then constant, or a linear
 * or cosine decay to a final rate.
 *
 * <p>Steps count from 0, the first optimizer step. With {@code W} warmup steps, step {@code s < W}
 * gets {@code peak * (s + 1) / W}, so the first step is not wasted at rate 0 and step {@code W - 1}
 * reaches the peak. After warmup, with {@code T} total steps, the decay progress is {@code q =
 * min(1, (s - W) / (T - W))} and the rate is
 *
 * <ul>
 *   <li>constant: {@code peak};
 *   <li>linear: {@code final + (peak - final) * (1 - q)};
 *   <li>cosine: {@code final + (peak - final) * (1 + cos(pi * q)) / 2};
 * </ul>
 *
 * <p>so the decays start at the peak at step {@code W}, reach the final rate at step {@code T} and
 * stay there.
 */
public final class LearningRateSchedule {
    /** How the rate evolves after warmup. */
    public enum Decay {
        /** The peak rate for good. */
        CONSTANT,
        /** A straight line from the peak to the final rate. */
        LINEAR,
        /** Half a cosine period from the peak to the final rate. */
        COSINE
    }

    private final double peakRate;
    private final long warmupSteps;
    private final Decay decay;
    private final long totalSteps;
    private final double finalRate;

    private LearningRateSchedule(Builder builder) {
        this.peakRate = builder.peakRate;
        this.warmupSteps = builder.warmupSteps;
        this.decay = builder.decay;
        this.totalSteps = builder.totalSteps;
        this.finalRate = builder.finalRate;
    }

    /** A builder; the peak rate is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The learning rate of optimizer step {@code step} (0 for the first step). */
    public float rate(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step < warmupSteps) {
            return (float) (peakRate * (step + 1) / warmupSteps);
        }
        if (decay == Decay.CONSTANT) {
            return (float) peakRate;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
        double fraction =
                decay == Decay.LINEAR ? 1 - progress : (1 + Math.cos(Math.PI * progress)) / 2;
        return (float) (finalRate + (peakRate - finalRate) * fraction);
    }

    @Override
    public String toString() {
        return "LearningRateSchedule[peak="
                + peakRate
                + ", warmup="
                + warmupSteps
                + ", decay="
                + decay
                + (decay == Decay.CONSTANT ? "" : ", total=" + totalSteps + ", final=" + finalRate)
                + "]";
    }

    /** Builds a {@link LearningRateSchedule}: {@code setPeakRate} is required. */
    public static final class Builder {
        private double peakRate = Double.NaN;
        private long warmupSteps;
        private Decay decay = Decay.CONSTANT;
        private long totalSteps;
        private double finalRate;
        private boolean finalRateSet;

        private Builder() {}

        /** The rate after warmup (and where the decay starts); required, > 0. */
        public Builder setPeakRate(double peakRate) {
            this.peakRate = peakRate;
            return this;
        }

        /** The number of warmup steps, >= 0; default 0 (no warmup). */
        public Builder optWarmupSteps(long warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        /**
         * Decays the rate after warmup, reaching the final rate at {@code totalSteps} (which must
         * exceed the warmup steps); default {@link Decay#CONSTANT}, which takes no total.
         */
        public Builder optDecay(Decay decay, long totalSteps) {
            this.decay = Objects.requireNonNull(decay, "decay");
            this.totalSteps = totalSteps;
            return this;
        }

        /** The floor the decay ends at, in [0, peak]; default 0; only with a decay. */
        public Builder optFinalRate(double finalRate) {
            this.finalRate = finalRate;
            this.finalRateSet = true;
            return this;
        }

        /** Validates the options and makes the schedule. */
        public LearningRateSchedule build() {
            if (!(peakRate > 0) || !Double.isFinite(peakRate)) {
                throw new IllegalArgumentException(
                        "the peak rate must be set, positive and finite, got " + peakRate);
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
            }
            if (decay == Decay.CONSTANT) {
                if (finalRateSet) {
                    throw new IllegalArgumentException(
                            "a final rate needs a linear or cosine decay; the constant schedule"
                                    + " stays at the peak");
                }
            } else if (totalSteps <= warmupSteps) {
                throw new IllegalArgumentException(
                        "a "
                                + decay
                                + " decay needs totalSteps > warmupSteps, got totalSteps "
                                + totalSteps
                                + " and warmupSteps "
                                + warmupSteps);
            }
            if (!(finalRate >= 0 && finalRate <= peakRate)) {
                throw new IllegalArgumentException(
                        "the final rate must be in [0, peak " + peakRate + "], got " + finalRate);
            }
            return new LearningRateSchedule(this);
        }
    }
}
