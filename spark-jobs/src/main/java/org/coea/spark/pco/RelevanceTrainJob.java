package org.coea.spark.pco;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.model.pco.PcoPrompt;
import org.coea.model.pco.RelevanceModel;
import org.coea.model.train.TrainingLog;
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.warehouse.ModelFiles;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code relevance-train} stage: pairwise training (Eq. 12) of the embedded Relevance model
 * from scratch on a seeded sample of the Eq. 11 pairs, on the driver; published to {@code
 * models/relevance}. Reports the held-out users' pair accuracy.
 */
public final class RelevanceTrainJob implements Stage {
    /** The stage name. */
    public static final String NAME = "relevance-train";

    /** The model directory name under {@code <warehouse>/models}. */
    public static final String MODEL = "relevance";

    private static final int HOLDOUT_ROWS = 5_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "pairwise training of the Relevance model on the Eq. 11 pairs (the embedded tiny Qwen2 with a reward head, or LoRA and the head on pco.base-model)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PcoOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                PcoOptions.from(conf));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse w, PcoOptions o) {
        long start = System.nanoTime();
        PcoContext ctx = PcoContext.load(w, o.ablation());
        Dataset<Row> all = w.read(PcoTables.RELEVANCE_PAIRS, PcoDatasetsJob.NAME);
        List<Row> train =
                PcoTraining.sample(
                        all.filter(col("holdout").equalTo(false)), o.maxRelevancePairs(), o.seed());
        List<Row> held = PcoTraining.sample(all.filter(col("holdout")), HOLDOUT_ROWS, o.seed());
        if (train.isEmpty()) {
            throw new IllegalStateException(
                    "table relevance_pairs has no training pair under " + w.root());
        }
        List<PcoPrompt> prompts = PcoTraining.prompts(ctx, train);
        StageMetrics.Builder b = StageMetrics.builder(NAME).rowsIn(train.size() + held.size());
        long t0 = System.nanoTime();
        try (RelevanceModel model = PcoTraining.newRelevance(ctx, o)) {
            TrainingLog log =
                    model.train(
                            prompts,
                            PcoTraining.column(train, "positive"),
                            PcoTraining.column(train, "negative"),
                            PcoTraining.options(
                                    o.relevanceSteps(), o.batchSize(), o.learningRate(), o.seed()),
                            PcoTraining.progress(NAME, Math.max(1, o.relevanceSteps() / 10)));
            b.put("pairs", (long) train.size())
                    .put("holdout_pairs", (long) held.size())
                    .put("steps", (long) log.size())
                    .put(
                            "final_loss",
                            PcoTraining.round(log.last().map(r -> r.loss()).orElse(Double.NaN), 4))
                    .put("train_seconds", PcoTraining.round((System.nanoTime() - t0) / 1e9, 1));
            // Eq. 12 fixes rewards only up to a constant: calibrate s = sigmoid(a r + b) on
            // labelled pairs (held-out users', else a slice of the training pairs).
            List<Row> calib =
                    held.isEmpty() ? train.subList(0, Math.min(train.size(), HOLDOUT_ROWS)) : held;
            org.coea.model.pco.Calibration c =
                    model.calibrate(
                            PcoTraining.prompts(ctx, calib),
                            PcoTraining.column(calib, "positive"),
                            PcoTraining.column(calib, "negative"));
            b.put("calibration_scale", PcoTraining.round(c.scale(), 4))
                    .put("calibration_offset", PcoTraining.round(c.offset(), 4));
            if (!held.isEmpty()) {
                b.put(
                        "holdout_pair_accuracy",
                        PcoTraining.round(
                                model.accuracy(
                                        PcoTraining.prompts(ctx, held),
                                        PcoTraining.column(held, "positive"),
                                        PcoTraining.column(held, "negative")),
                                4));
            }
            Path local = PcoTraining.tempDir("coea-relevance-");
            model.save(local);
            ModelFiles.publish(
                    local, w.modelPath(MODEL), spark.sparkContext().hadoopConfiguration());
        }
        StageMetrics m = b.rowsOut(1).seconds((System.nanoTime() - start) / 1e9).build();
        w.writeMetrics(m);
        System.out.println("relevance-train: " + m.figures());
        return m;
    }
}
