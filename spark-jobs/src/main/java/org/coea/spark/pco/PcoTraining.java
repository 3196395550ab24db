package org.coea.spark.pco;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.coea.model.device.DeviceSelection;
import org.coea.model.pco.NoveltyModel;
import org.coea.model.pco.PcoPrompt;
import org.coea.model.pco.RelevanceModel;
import org.coea.model.train.LearningRateSchedule;
import org.coea.model.train.TrainingOptions;

/** What the PCO trainers share on the driver: seeded samples, prompts, options, progress lines. */
final class PcoTraining {
    private PcoTraining() {}

    /**
     * At most {@code max} rows in a seeded order that does not depend on partitioning (a hash of
     * user, position and seed, ties by user and position).
     */
    static List<Row> sample(Dataset<Row> rows, int max, long seed) {
        return rows.orderBy(
                        xxhash64(col("user_id"), col("position"), lit(seed)),
                        col("user_id"),
                        col("position"))
                .limit(max)
                .collectAsList();
    }

    /** The prompts of rows with columns csid and recent (excluded = the recent categories). */
    static List<PcoPrompt> prompts(PcoContext ctx, List<Row> rows) {
        List<PcoPrompt> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            int[] recent = PcoContext.ints(r, r.fieldIndex("recent"));
            out.add(ctx.prompt(r.getString(r.fieldIndex("csid")), recent, recent));
        }
        return out;
    }

    static int[] column(List<Row> rows, String name) {
        int[] out = new int[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).getInt(rows.get(i).fieldIndex(name));
        }
        return out;
    }

    /** Warm-up over the first tenth, then cosine decay. */
    static TrainingOptions options(int steps, int batch, double lr, long seed) {
        return TrainingOptions.builder()
                .setSteps(steps)
                .setLearningRate(lr)
                .optBatchSize(batch)
                .optWarmupSteps(Math.max(1, steps / 10))
                .optDecay(LearningRateSchedule.Decay.COSINE)
                .optSeed(seed)
                .build();
    }

    /** Prints every {@code every}-th step line with a prefix. */
    static Consumer<String> progress(String prefix, int every) {
        int[] n = {0};
        long start = System.nanoTime();
        return line -> {
            if (++n[0] % every == 0) {
                System.out.printf(
                        Locale.ROOT,
                        "%s: %.1f s %s%n",
                        prefix,
                        (System.nanoTime() - start) / 1e9,
                        line);
            }
        };
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * A new Novelty model: the embedded tiny one, or LoRA on the {@code pco.base-model} checkpoint.
     */
    static NoveltyModel newNovelty(PcoContext ctx, PcoOptions o) {
        return o.baseModel()
                .map(
                        b ->
                                NoveltyModel.fromCheckpoint(
                                        Path.of(b),
                                        ctx.categories,
                                        o.promptSettings(),
                                        DeviceSelection.select(o.device()),
                                        o.templates(),
                                        o.seed()))
                .orElseGet(
                        () ->
                                NoveltyModel.create(
                                        ctx.vocabulary(), o.spec(), o.promptSettings(), o.seed()));
    }

    /**
     * A new Relevance model: the embedded tiny one, or LoRA and a reward head on the {@code
     * pco.base-model} checkpoint.
     */
    static RelevanceModel newRelevance(PcoContext ctx, PcoOptions o) {
        return o.baseModel()
                .map(
                        b ->
                                RelevanceModel.fromCheckpoint(
                                        Path.of(b),
                                        ctx.categories,
                                        o.promptSettings(),
                                        DeviceSelection.select(o.device()),
                                        o.templates(),
                                        o.seed()))
                .orElseGet(
                        () ->
                                RelevanceModel.create(
                                        ctx.vocabulary(), o.spec(), o.promptSettings(), o.seed()));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
