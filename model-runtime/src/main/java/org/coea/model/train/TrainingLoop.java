package org.coea.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimisation loop every trainer shares: seeded data order, micro-batches with gradient
 * accumulation, global-norm clipping, AdamW with a warmup schedule, a step log, checkpoints and
 * resume. What a batch costs is the trainer's {@link BatchLoss}.
 */
public final class TrainingLoop {
    /**
     * DJL's PyTorch engine allows one {@code GradientCollector} per JVM at a time (a second one
     * throws), and the engine's random generator is global: a step's seeding and gradient
     * computation hold this lock, so several loops in one JVM (Spark tasks sharing an executor)
     * take turns there and each stays deterministic for its seed.
     */
    private static final java.util.concurrent.locks.ReentrantLock GRADIENTS =
            new java.util.concurrent.locks.ReentrantLock(true);

    private TrainingLoop() {}

    /** The loss of one micro-batch and the figures to log with it. */
    public record LossOutput(NDArray loss, Map<String, Double> figures) {}

    /** Computes the loss of the examples at the given indices; arrays go on the given manager. */
    @FunctionalInterface
    public interface BatchLoss {
        /** The loss (a scalar to minimise) of a micro-batch. */
        LossOutput compute(NDManager manager, int[] examples);
    }

    /**
     * Runs after every optimizer step, outside gradient recording, with the step number (1-based)
     * and the parameters; it may change them in place (e.g. {@link ParameterAveraging}).
     */
    @FunctionalInterface
    public interface AfterStep {
        /** Called once per optimizer step. */
        void accept(long step, Map<String, NDArray> parameters);
    }

    /**
     * Trains the parameters (they must be the arrays the loss reads; the loop turns their gradients
     * on and off).
     *
     * @param parameters trainable arrays by name (LoRA A/B, a reward head, or all weights)
     * @param examples number of training examples (indices 0..examples-1)
     * @return the step log
     */
    public static TrainingLog run(
            NDManager manager,
            Map<String, NDArray> parameters,
            int examples,
            BatchLoss loss,
            TrainingOptions o,
            TrainingLog log) {
        return run(manager, parameters, examples, loss, o, log, (step, params) -> {});
    }

    /** {@link #run(NDManager, Map, int, BatchLoss, TrainingOptions, TrainingLog)} with a hook. */
    public static TrainingLog run(
            NDManager manager,
            Map<String, NDArray> parameters,
            int examples,
            BatchLoss loss,
            TrainingOptions o,
            TrainingLog log,
            AfterStep afterStep) {
        if (examples <= 0) {
            throw new IllegalArgumentException("no training examples");
        }
        // PyTorch's grad mode is per thread and on in a new thread (DJL turns it off only on the
        // thread that loads the engine): off here, so steps and hooks run outside recording.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        Map<String, NDArray> params = new LinkedHashMap<>(parameters);
        params.values().forEach(p -> p.setRequiresGradient(true));
        LearningRateSchedule schedule = o.schedule();
        long start = 0;
        try (AdamW optimizer =
                AdamW.builder()
                        .optWeightDecay(o.weightDecay())
                        .optNoDecay(n -> n.endsWith("bias") || n.contains("norm"))
                        .build()) {
            if (o.resumeFrom().isPresent()) {
                Checkpoint c = Checkpoint.load(o.resumeFrom().get());
                c.restoreInto(params);
                c.optimizerState().ifPresent(optimizer::loadState);
                start = c.step();
            }
            int perStep = o.batchSize() * o.accumulation();
            for (long step = start; step < o.steps(); step++) {
                double lossSum = 0;
                Map<String, Double> figures = new LinkedHashMap<>();
                GRADIENTS.lock();
                try {
                    Seeds.seedEngine(Seeds.derive(o.seed(), step));
                    for (int micro = 0; micro < o.accumulation(); micro++) {
                        int[] batch =
                                batch(
                                        o.seed(),
                                        examples,
                                        step * perStep + (long) micro * o.batchSize(),
                                        o.batchSize());
                        try (NDManager m = manager.newSubManager();
                                GradientCollector gc =
                                        Engine.getInstance().newGradientCollector()) {
                            LossOutput out = loss.compute(m, batch);
                            NDArray scaled =
                                    org.coea.model.nd.Scalars.div(out.loss(), o.accumulation());
                            gc.backward(scaled);
                            lossSum += out.loss().getFloat() / o.accumulation();
                            out.figures()
                                    .forEach(
                                            (k, v) ->
                                                    figures.merge(
                                                            k, v / o.accumulation(), Double::sum));
                        }
                    }
                } finally {
                    GRADIENTS.unlock();
                }
                double norm =
                        o.maxGradNorm() > 0
                                ? Gradients.clipGlobalNorm(params.values(), o.maxGradNorm())
                                : Gradients.globalNorm(params.values());
                float lr = schedule.rate(step);
                if (Double.isFinite(norm)) {
                    optimizer.step(params, lr);
                }
                Gradients.zeroGradients(params.values());
                afterStep.accept(step + 1, params);
                StepRecord record = StepRecord.of(step + 1, lossSum, lr, norm);
                for (Map.Entry<String, Double> f : figures.entrySet()) {
                    record = record.with(f.getKey(), f.getValue());
                }
                log.add(record);
                if (o.checkpointDir().isPresent() && (step + 1) % o.checkpointEvery() == 0) {
                    Checkpoint.save(
                            o.checkpointDir().get().resolve("step-" + (step + 1)),
                            step + 1,
                            params,
                            optimizer.state());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("training checkpoint I/O failed", e);
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
        return log;
    }

    /**
     * The example indices at a position of the seeded stream: epochs of seeded shuffles, so a
     * resumed run sees the same batches as an uninterrupted one.
     */
    static int[] batch(long seed, int examples, long position, int size) {
        int[] out = new int[size];
        long cachedEpoch = -1;
        int[] order = null;
        for (int i = 0; i < size; i++) {
            long p = position + i;
            long epoch = p / examples;
            if (epoch != cachedEpoch) {
                order = Seeds.shuffledOrder(seed, epoch, examples);
                cachedEpoch = epoch;
            }
            out[i] = order[(int) (p % examples)];
        }
        return out;
    }
}
