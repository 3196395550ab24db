package org.coea.model.rqvae;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.coea.model.nd.GradMode;
import org.coea.model.train.Checkpoint;
import org.coea.model.train.Seeds;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingLoop;
import org.coea.model.train.TrainingOptions;

/**
 * Trains an {@link RqVae} on user vectors with the shared {@link TrainingLoop} (every weight
 * trained, seeded order, AdamW), adding the two codebook rules of DSIE.
 *
 * <p><b>K-means initialisation.</b> Before the first forward pass of a model whose codebooks are
 * not yet initialised, the encoder outputs of the first micro-batch the loop hands out are
 * clustered level by level ({@link ResidualQuantizer#initialise}, seed {@code
 * Seeds.derive(config.seed(), step)}); the batch should hold at least K examples, or some codewords
 * start as duplicates (and die, then get re-seeded).
 *
 * <p><b>Dead-code reset.</b> With {@code N = config.deadCodeSteps() > 0}: a code counts its
 * consecutive optimizer steps without any example of the step's micro-batches assigned to it (0
 * after the initialisation or a re-seeding). At the start of each step, before its first
 * micro-batch's forward pass, every code whose count has reached N is re-seeded from the current
 * micro-batch: level by level, the dead codes of a level take the level's residuals {@code r_{l-1}}
 * (encoder output minus the codewords chosen at the levels before, with the already re-seeded
 * codebooks) of distinct examples in a random order (seed {@code Seeds.derive(config.seed(),
 * step)}), and their counts restart at 0. The optimizer's moments of a re-seeded codeword are kept.
 *
 * <p>Step figures besides the loop's: {@code reconstruction_loss}, {@code quantizer_loss} and
 * {@code dead_code_resets} (codes re-seeded at the step, divided by the accumulation like every
 * figure). On resume from a checkpoint the codebooks come from the checkpoint and count as
 * initialised, and the idle counts restart at 0: the usage history is not checkpointed.
 */
public final class RqVaeTrainer {
    private final RqVae model;
    private long resets;

    /** A trainer of {@code model}'s weights. */
    public RqVaeTrainer(RqVae model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The codes re-seeded by dead-code resets during the last {@link #train} call. */
    public long deadCodeResets() {
        return resets;
    }

    /**
     * Trains on {@code vectors} {@code [n][in]} (indices are the loop's examples) and returns the
     * step log.
     */
    public TrainingLog train(float[][] vectors, TrainingOptions options, TrainingLog log) {
        model.requireRows(vectors);
        if (vectors.length == 0) {
            throw new IllegalArgumentException("no training vectors");
        }
        RqVaeConfig config = model.config();
        ResidualQuantizer quantizer = model.quantizer();
        long start = 0;
        if (options.resumeFrom().isPresent()) {
            try {
                start = Checkpoint.load(options.resumeFrom().get()).step();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read the checkpoint " + options.resumeFrom().get(), e);
            }
            quantizer.markInitialised();
        }
        long firstStep = start;
        int accumulation = options.accumulation();
        DeadCodeTracker tracker = new DeadCodeTracker(config.levels(), config.codebookSize());
        long[] calls = {0};
        resets = 0;
        TrainingLoop.BatchLoss loss =
                (m, examples) -> {
                    long call = calls[0]++;
                    long step = firstStep + call / accumulation;
                    boolean stepStart = call % accumulation == 0;
                    if (stepStart && call > 0) {
                        tracker.endStep();
                    }
                    float[][] batch = new float[examples.length][];
                    for (int i = 0; i < examples.length; i++) {
                        batch[i] = vectors[examples[i]];
                    }
                    NDArray h = model.input(m, batch, 0, batch.length);
                    int reseeded = 0;
                    if (!quantizer.initialised()) {
                        quantizer.initialise(
                                latents(h),
                                Seeds.derive(config.seed(), step),
                                config.kmeansIterations());
                        tracker.reviveAll();
                    } else if (stepStart && config.deadCodeSteps() > 0) {
                        reseeded = reseedDead(h, tracker, step);
                    }
                    resets += reseeded;
                    RqVae.Output out = model.forward(h);
                    tracker.record(out.codes().toLongArray(), config.levels());
                    return new TrainingLoop.LossOutput(
                            out.loss(),
                            Map.of(
                                    "reconstruction_loss",
                                    (double) out.reconstructionLoss().getFloat(),
                                    "quantizer_loss",
                                    (double) out.quantizerLoss().getFloat(),
                                    "dead_code_resets",
                                    (double) reseeded));
                };
        return TrainingLoop.run(
                model.manager(), model.parameters(), vectors.length, loss, options, log);
    }

    private int reseedDead(NDArray h, DeadCodeTracker tracker, long step) {
        RqVaeConfig config = model.config();
        int[][] dead = new int[config.levels()][];
        boolean any = false;
        for (int l = 0; l < dead.length; l++) {
            dead[l] = tracker.dead(l, config.deadCodeSteps());
            any |= dead[l].length > 0;
        }
        if (!any) {
            return 0;
        }
        int count =
                model.quantizer()
                        .reseed(latents(h), dead, Seeds.random(Seeds.derive(config.seed(), step)));
        for (int l = 0; l < dead.length; l++) {
            for (int code : dead[l]) {
                tracker.revive(l, code);
            }
        }
        return count;
    }

    /** The encoder outputs of a batch as Java rows, computed with autograd off. */
    private float[][] latents(NDArray h) {
        return GradMode.off(
                () -> {
                    NDArray z = model.encode(h);
                    int rows = (int) z.getShape().get(0);
                    int cols = (int) z.getShape().get(1);
                    float[] flat = z.toFloatArray();
                    float[][] out = new float[rows][cols];
                    for (int i = 0; i < rows; i++) {
                        System.arraycopy(flat, i * cols, out[i], 0, cols);
                    }
                    return out;
                });
    }
}
