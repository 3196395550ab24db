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
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code generate} stage: for every distinct (CSID, short-term set) key of the users' states at
 * the end of training, the Novelty model ({@code models/novelty}) proposes {@code pco.candidates}
 * categories outside the set (Eq. 10); writes {@code candidates}.
 */
public final class GenerateJob implements Stage {
    /** The stage name. */
    public static final String NAME = "generate";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "candidate categories per (CSID, short-term set) key from the Novelty model (Eq. 10)";
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
        Dataset<Row> keys =
                Candidates.keys(w.read(PcoTables.STATES, PcoDatasetsJob.NAME), 0).cache();
        long n = keys.count();
        long g0 = System.nanoTime();
        Dataset<Row> out =
                Candidates.generate(
                        keys,
                        ModelLocation.of(
                                w.modelPath(NoveltyTrainJob.MODEL),
                                spark.sparkContext().hadoopConfiguration()),
                        ctx,
                        o.candidates());
        w.publish(NAME, Map.of(PcoTables.CANDIDATES, out));
        double seconds = (System.nanoTime() - g0) / 1e9;
        keys.unpersist();
        StageMetrics m =
                StageMetrics.builder(NAME)
                        .rowsIn(n)
                        .rowsOut(w.read(PcoTables.CANDIDATES, NAME).count())
                        .put("keys", n)
                        .put("candidates_per_key", (long) o.candidates())
                        .put("generate_seconds", PcoTraining.round(seconds, 1))
                        .put("keys_per_second", PcoTraining.round(n / seconds, 1))
                        .seconds((System.nanoTime() - start) / 1e9)
                        .build();
        w.writeMetrics(m);
        System.out.printf(
                Locale.ROOT,
                "generate: %d keys, %d candidates each, %.1f keys/s%n",
                n,
                o.candidates(),
                n / seconds);
        return m;
    }
}
