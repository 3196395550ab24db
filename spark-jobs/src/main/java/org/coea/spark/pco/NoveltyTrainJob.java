package org.coea.spark.pco;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.model.pco.NoveltyModel;
import org.coea.model.pco.PcoPrompt;
import org.coea.model.pco.Proposal;
import org.coea.model.train.TrainingLog;
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.warehouse.ModelFiles;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code novelty-train} stage: SFT (Eq. 9) of the embedded Novelty model from scratch on a
 * seeded sample of the Eq. 8 examples, on the driver; published to {@code models/novelty}. Reports
 * the held-out users' token accuracy and how often the target is the top proposal or among the top
 * N.
 */
public final class NoveltyTrainJob implements Stage {
    /** The stage name. */
    public static final String NAME = "novelty-train";

    /** The model directory name under {@code <warehouse>/models}. */
    public static final String MODEL = "novelty";

    private static final int HOLDOUT_ROWS = 5_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "SFT of the Novelty model on the Eq. 8 examples (the embedded tiny Qwen2 from scratch, or LoRA on pco.base-model)";
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
        Dataset<Row> all = w.read(PcoTables.NOVELTY_SFT, PcoDatasetsJob.NAME);
        List<Row> train =
                PcoTraining.sample(
                        all.filter(col("holdout").equalTo(false)),
                        o.maxNoveltyExamples(),
                        o.seed());
        List<Row> held = PcoTraining.sample(all.filter(col("holdout")), HOLDOUT_ROWS, o.seed());
        if (train.isEmpty()) {
            throw new IllegalStateException(
                    "table novelty_sft has no training example under "
                            + w.root()
                            + ": no user ever clicked a category new to them after the first click");
        }
        List<PcoPrompt> prompts = PcoTraining.prompts(ctx, train);
        int[] targets = PcoTraining.column(train, "target");
        StageMetrics.Builder b = StageMetrics.builder(NAME).rowsIn(train.size() + held.size());
        long t0 = System.nanoTime();
        try (NoveltyModel model = PcoTraining.newNovelty(ctx, o)) {
            TrainingLog log =
                    model.sft(
                            prompts,
                            targets,
                            PcoTraining.options(
                                    o.noveltySteps(), o.batchSize(), o.learningRate(), o.seed()),
                            PcoTraining.progress(NAME, Math.max(1, o.noveltySteps() / 10)));
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            b.put("examples", (long) train.size())
                    .put("holdout_examples", (long) held.size())
                    .put("steps", (long) log.size())
                    .put(
                            "final_loss",
                            PcoTraining.round(log.last().map(r -> r.loss()).orElse(Double.NaN), 4))
                    .put("train_seconds", PcoTraining.round(trainSeconds, 1))
                    .put(
                            "ablation",
                            o.ablation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            if (!held.isEmpty()) {
                List<PcoPrompt> hp = PcoTraining.prompts(ctx, held);
                int[] ht = PcoTraining.column(held, "target");
                b.put("holdout_token_accuracy", PcoTraining.round(model.sftAccuracy(hp, ht), 4));
                List<List<Proposal>> top = model.propose(hp, o.candidates());
                long hit1 = 0;
                long hitN = 0;
                for (int i = 0; i < ht.length; i++) {
                    List<Proposal> p = top.get(i);
                    hit1 += !p.isEmpty() && p.get(0).categoryId() == ht[i] ? 1 : 0;
                    int target = ht[i];
                    hitN += p.stream().anyMatch(x -> x.categoryId() == target) ? 1 : 0;
                }
                b.put("holdout_hit_at_1", PcoTraining.round(hit1 / (double) ht.length, 4));
                b.put("holdout_hit_at_n", PcoTraining.round(hitN / (double) ht.length, 4));
            }
            Path local = PcoTraining.tempDir("coea-novelty-");
            model.save(local);
            ModelFiles.publish(
                    local, w.modelPath(MODEL), spark.sparkContext().hadoopConfiguration());
        }
        StageMetrics m = b.rowsOut(1).seconds((System.nanoTime() - start) / 1e9).build();
        w.writeMetrics(m);
        System.out.println("novelty-train: " + m.figures());
        return m;
    }
}
