package org.coea.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A seeded linear-regression training run, {@code y = X w* + b*} without noise, driven through the
 * whole machinery as a trainer would: micro-batches under a gradient collector with scaled losses,
 * global-norm clipping, AdamW with a warmup-cosine schedule, zeroing, a step log and checkpoints.
 */
final class RegressionRun implements AutoCloseable {
    static final int FEATURES = 8;
    static final int SAMPLES = 256;
    static final double MAX_NORM = 1.0;
    static final int TOTAL_STEPS = 300;
    private static final long DATA_SEED = 20240601L;

    private final long seed;
    private final int batch;
    private final int microBatch;
    private final float[] features = new float[SAMPLES * FEATURES];
    private final float[] targets = new float[SAMPLES];
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final GradientAccumulator accumulator;
    private final TrainingLog log = new TrainingLog();
    private long step;

    private RegressionRun(
            long seed, int batch, int accumulation, NDManager manager, Map<String, NDArray> p) {
        if (SAMPLES % batch != 0 || batch % accumulation != 0) {
            throw new IllegalArgumentException("batches must tile the data evenly");
        }
        this.seed = seed;
        this.batch = batch;
        this.microBatch = batch / accumulation;
        this.manager = manager;
        this.params = p;
        this.accumulator = new GradientAccumulator(accumulation);
        this.optimizer =
                AdamW.builder()
                        .optWeightDecay(0.01)
                        .optNoDecay(name -> name.equals("bias"))
                        .build();
        this.schedule =
                LearningRateSchedule.builder()
                        .setPeakRate(0.05)
                        .optWarmupSteps(10)
                        .optDecay(LearningRateSchedule.Decay.COSINE, TOTAL_STEPS)
                        .optFinalRate(5e-4)
                        .build();
        Random data = Seeds.random(DATA_SEED);
        double[] truth = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            truth[j] = data.nextGaussian();
        }
        for (int i = 0; i < SAMPLES; i++) {
            double y = 0.5;
            for (int j = 0; j < FEATURES; j++) {
                float x = (float) data.nextGaussian();
                features[i * FEATURES + j] = x;
                y += truth[j] * x;
            }
            targets[i] = (float) y;
        }
    }

    /** A new run whose parameters the engine draws from the run seed. */
    static RegressionRun start(long seed, int batch, int accumulation) {
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        Seeds.seedEngine(seed);
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put(
                "weight", manager.randomNormal(0f, 0.1f, new Shape(FEATURES, 1), DataType.FLOAT32));
        params.put("bias", manager.zeros(new Shape(1)));
        params.values().forEach(p -> p.setRequiresGradient(true));
        return new RegressionRun(seed, batch, accumulation, manager, params);
    }

    /** A run resumed from a checkpoint into fresh arrays and a fresh optimizer. */
    static RegressionRun resume(Path checkpoint, long seed, int batch, int accumulation)
            throws IOException {
        Checkpoint saved = Checkpoint.load(checkpoint);
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        RegressionRun run =
                new RegressionRun(seed, batch, accumulation, manager, saved.newParameters(manager));
        run.optimizer.loadState(saved.optimizerState().orElseThrow());
        run.step = saved.step();
        return run;
    }

    /** Trains until {@code untilStep} optimizer steps have been taken in all. */
    void train(long untilStep) {
        int stepsPerEpoch = SAMPLES / batch;
        for (; step < untilStep; step++) {
            int[] order = Seeds.shuffledOrder(seed, step / stepsPerEpoch, SAMPLES);
            int offset = (int) (step % stepsPerEpoch) * batch;
            double loss = 0;
            boolean stepNow = false;
            for (int k = 0; k < accumulator.steps(); k++) {
                try (NDManager scope = manager.newSubManager()) {
                    float[] x = new float[microBatch * FEATURES];
                    float[] y = new float[microBatch];
                    for (int r = 0; r < microBatch; r++) {
                        int example = order[offset + k * microBatch + r];
                        System.arraycopy(features, example * FEATURES, x, r * FEATURES, FEATURES);
                        y[r] = targets[example];
                    }
                    NDArray xs = scope.create(x, new Shape(microBatch, FEATURES));
                    NDArray ys = scope.create(y, new Shape(microBatch, 1));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray prediction =
                                xs.matMul(params.get("weight")).add(params.get("bias"));
                        NDArray scaled = accumulator.scale(prediction.sub(ys).square().mean());
                        loss += scaled.getFloat();
                        gc.backward(scaled);
                    }
                }
                stepNow = accumulator.advance();
            }
            if (!stepNow) {
                throw new IllegalStateException("the accumulation window did not close");
            }
            double norm = Gradients.clipGlobalNorm(params.values(), MAX_NORM);
            float lr = schedule.rate(optimizer.stepCount());
            optimizer.step(params, lr);
            Gradients.zeroGradients(params.values());
            log.add(StepRecord.of(step, loss, lr, norm));
        }
    }

    /** Saves parameters, optimizer state and step count. */
    void save(Path dir) throws IOException {
        Checkpoint.save(dir, step, params, optimizer.state());
    }

    /** The mean squared error over all examples. */
    double fullLoss() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray xs = scope.create(features, new Shape(SAMPLES, FEATURES));
            NDArray ys = scope.create(targets, new Shape(SAMPLES, 1));
            return xs.matMul(params.get("weight"))
                    .add(params.get("bias"))
                    .sub(ys)
                    .square()
                    .mean()
                    .getFloat();
        }
    }

    float[] values(String name) {
        return params.get(name).toFloatArray();
    }

    AdamWState optimizerState() {
        return optimizer.state();
    }

    TrainingLog log() {
        return log;
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
