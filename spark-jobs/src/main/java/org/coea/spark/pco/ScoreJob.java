package org.coea.spark.pco;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.model.pco.ModelRegistry;
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code score} stage: the Relevance model ({@code models/relevance}) scores every candidate
 * (Eq. 13); those with s >= gamma are kept, ranked by score (Eq. 14); writes {@code
 * novel_categories} as version 0 (the fine-tuned models before any cycle), which {@code store}
 * serves. Under the no-relevance ablation every candidate is kept with its Novelty probability.
 */
public final class ScoreJob implements Stage {
    /** The stage name. */
    public static final String NAME = "score";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "scores the candidates with the Relevance model and keeps those >= gamma, ranked (Eq. 13-14)";
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
        Dataset<Row> candidates = w.read(PcoTables.CANDIDATES, GenerateJob.NAME);
        ModelLocation relevance =
                o.ablation() == Ablation.NO_RELEVANCE
                        ? null
                        : ModelLocation.of(
                                w.modelPath(RelevanceTrainJob.MODEL),
                                spark.sparkContext().hadoopConfiguration());
        Dataset<Row> novel =
                Candidates.score(candidates, relevance, ctx, o.gamma(), ModelRegistry.name(0), 0L);
        w.publish(NAME, Map.of(PcoTables.NOVEL_CATEGORIES, novel));
        Dataset<Row> out = w.read(PcoTables.NOVEL_CATEGORIES, NAME);
        Candidates.Kept s = Candidates.Kept.of(out);
        long keys = s.keys();
        StageMetrics m =
                StageMetrics.builder(NAME)
                        .rowsIn(keys)
                        .rowsOut(keys)
                        .put("keys", keys)
                        .put("gamma", o.gamma())
                        .put("mean_kept", PcoTraining.round(s.meanKept(), 3))
                        .put("empty_keys", s.emptyKeys())
                        .put("relevance_model", relevance != null)
                        .seconds((System.nanoTime() - start) / 1e9)
                        .build();
        w.writeMetrics(m);
        System.out.printf(
                Locale.ROOT,
                "score: %d keys, %.2f categories kept per key (gamma %.2f), %d keys with none%n",
                keys,
                s.meanKept(),
                o.gamma(),
                s.emptyKeys());
        return m;
    }
}
