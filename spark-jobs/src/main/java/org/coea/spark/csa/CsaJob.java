package org.coea.spark.csa;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.model.csa.CsaConfig;
import org.coea.model.csa.CsaEncoder;
import org.coea.model.csa.CsaEvaluator;
import org.coea.model.csa.CsaTrainer;
import org.coea.model.csa.LeaveOneOutCase;
import org.coea.model.csa.PopularityBaseline;
import org.coea.model.csa.RankingResult;
import org.coea.model.train.TrainingLog;
import org.coea.spark.CommonOptions;
import org.coea.spark.SparkRows;
import org.coea.spark.Stage;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.warehouse.ModelFiles;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code csa} stage (Eq. 1, 4, 5): trains the causal self-attention encoder on the users'
 * long-term sequences as a next-item model on the driver, evaluates it under the SASRec protocol
 * (each user's first test click against 100 sampled items the user never clicked before it; HR@10,
 * NDCG@10, beside item popularity on the same negatives), publishes it to {@code
 * <warehouse>/models/csa}, and writes {@code user_vectors} (h_u per user) with distributed
 * inference: one model load per executor JVM, batched {@code mapPartitions}.
 */
public final class CsaJob implements Stage {
    /** The stage name. */
    public static final String NAME = "csa";

    /** {@code user_vectors}: user_id, h (the d floats of h_u). */
    public static final StructType USER_VECTORS =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("h", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /** Users handed to the encoder at once; it batches them by history length. */
    private static final int INFERENCE_CHUNK = 8192;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "train the causal self-attention user encoder, evaluate it (SASRec protocol), write h_u per user";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CsaOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                CsaOptions.from(conf));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse, CsaOptions o) {
        long start = System.nanoTime();
        Dataset<Row> sequences =
                warehouse
                        .read(SequencesJob.NAME, SequencesJob.NAME)
                        .select("user_id", "long_items");
        Dataset<Row> users = warehouse.read("users", IngestJob.NAME);
        Dataset<Row> withFeatures =
                sequences
                        .join(users, "user_id", "left_outer")
                        .select(col("user_id"), col("long_items"), col("features"))
                        .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return run(spark, warehouse, o, withFeatures, start);
        } finally {
            withFeatures.unpersist();
        }
    }

    private StageMetrics run(
            SparkSession spark,
            Warehouse warehouse,
            CsaOptions o,
            Dataset<Row> withFeatures,
            long start) {
        long userCount = withFeatures.count();
        CsaVocabulary vocab = vocabulary(withFeatures);
        // Training users: all, or a seeded sample of maxTrainUsers on large inputs.
        Dataset<Row> trainUsers =
                userCount > o.maxTrainUsers()
                        ? withFeatures
                                .orderBy(xxhash64(col("user_id"), lit(o.seed())))
                                .limit(o.maxTrainUsers())
                        : withFeatures;
        long trainCount = Math.min(userCount, o.maxTrainUsers());
        CsaConfig config =
                CsaConfig.builder()
                        .setNumItems(vocab.numItems())
                        .setNumFeatureValues(vocab.numFeatureValues())
                        .setNumFeatureFields(vocab.numFeatureFields())
                        .setMaxLength(o.maxLength())
                        .optHidden(o.hidden())
                        .optLayers(o.layers())
                        .optHeads(o.heads())
                        .optDropout(o.dropout())
                        .optSeed(o.seed())
                        .build();
        int steps =
                Math.max(
                        1,
                        (int)
                                Math.ceil(
                                        o.epochs()
                                                * (double) trainCount
                                                / ((double) o.batchSize() * o.workers())));
        long trainStart = System.nanoTime();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("train_users", trainCount);
        figures.put("items", (long) vocab.numItems());
        figures.put("workers", (long) o.workers());
        figures.put("steps", (long) steps);
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try (CsaEncoder encoder =
                train(trainUsers, vocab, config, o, steps, warehouse, hadoop, figures)) {
            figures.put("train_seconds", round1((System.nanoTime() - trainStart) / 1e9));
            long evalStart = System.nanoTime();
            evaluate(warehouse, encoder, vocab, trainUsers, withFeatures, o, figures);
            figures.put("eval_seconds", round1((System.nanoTime() - evalStart) / 1e9));
            Path local = Files.createTempDirectory("coea-csa-");
            encoder.save(local);
            Files.writeString(local.resolve("vocabulary.json"), vocab.toJson());
            ModelFiles.publish(local, warehouse.modelPath(NAME), hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("csa: cannot save the model", e);
        }

        String modelPath = warehouse.modelPath(NAME);
        SerializableConfiguration shipped = new SerializableConfiguration(hadoop);
        Dataset<Row> vectors =
                withFeatures.mapPartitions(infer(modelPath, shipped), Encoders.row(USER_VECTORS));
        long vectorsStart = System.nanoTime();
        warehouse.publish(NAME, Map.of("user_vectors", vectors));
        figures.put("vectors_seconds", round1((System.nanoTime() - vectorsStart) / 1e9));
        long written = warehouse.read("user_vectors", NAME).count();
        StageMetrics.Builder m = StageMetrics.builder(NAME).rowsIn(userCount).rowsOut(written);
        figures.forEach(m::put);
        StageMetrics metrics = m.seconds((System.nanoTime() - start) / 1e9).build();
        warehouse.writeMetrics(metrics);
        System.out.printf(
                Locale.ROOT,
                "csa: HR@10 %s, NDCG@10 %s (popularity %s, %s) on %s users; h_u for %,d users%n",
                figures.get("hr_at_10"),
                figures.get("ndcg_at_10"),
                figures.get("popularity_hr_at_10"),
                figures.get("popularity_ndcg_at_10"),
                figures.get("eval_users"),
                written);
        return metrics;
    }

    /** Items 1..N and feature values from distinct values computed by Spark. */
    private static CsaVocabulary vocabulary(Dataset<Row> withFeatures) {
        List<Long> items =
                withFeatures
                        .select(explode(col("long_items")).as("item"))
                        .distinct()
                        .as(Encoders.LONG())
                        .collectAsList();
        List<Map<String, String>> features = new ArrayList<>();
        for (Row r :
                withFeatures
                        .filter(col("features").isNotNull())
                        .select(explode(col("features")))
                        .distinct()
                        .collectAsList()) {
            features.add(Map.of(r.getString(0), r.getString(1)));
        }
        return CsaVocabulary.of(items, features);
    }

    /** Trains on the driver (one worker) or on Spark barrier tasks; returns the trained encoder. */
    private static CsaEncoder train(
            Dataset<Row> trainUsers,
            CsaVocabulary vocab,
            CsaConfig config,
            CsaOptions o,
            int steps,
            Warehouse warehouse,
            org.apache.hadoop.conf.Configuration hadoop,
            Map<String, Object> figures) {
        if (o.workers() > 1) {
            BarrierCsaTraining.Result r =
                    BarrierCsaTraining.train(
                            trainUsers,
                            vocab,
                            config,
                            o,
                            o.workers(),
                            o.syncEvery(),
                            steps,
                            warehouse.root(),
                            hadoop);
            try {
                Path local = ModelFiles.fetch(r.model(), hadoop);
                figures.put("sync_rounds", r.rounds());
                figures.put("final_loss", round(r.finalLossMean()));
                return CsaEncoder.load(local);
            } finally {
                BarrierCsaTraining.delete(
                        new org.apache.hadoop.fs.Path(r.model()).getParent().toString(), hadoop);
            }
        }
        List<int[]> trainSeqs = new ArrayList<>();
        List<int[]> trainFeatures = new ArrayList<>();
        for (Row r : trainUsers.orderBy("user_id").collectAsList()) {
            trainSeqs.add(vocab.items(r.getList(1)));
            trainFeatures.add(vocab.features(r.isNullAt(2) ? Map.of() : r.getJavaMap(2)));
        }
        CsaEncoder encoder = CsaEncoder.create(config);
        try {
            TrainingLog log = new TrainingLog(progress(steps));
            new CsaTrainer(encoder)
                    .train(trainSeqs, trainFeatures, o.trainingOptions(steps, o.seed()), log);
            figures.put("final_loss", log.last().map(r -> round(r.loss())).orElse(Double.NaN));
            return encoder;
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /** Prints about 20 step lines per run, so a long training shows where it is. */
    private static java.util.function.Consumer<String> progress(int steps) {
        int every = Math.max(1, steps / 20);
        int[] seen = {0};
        long start = System.nanoTime();
        return line -> {
            seen[0]++;
            if (seen[0] % every == 0 || seen[0] == steps) {
                System.out.printf(
                        Locale.ROOT, "csa: %.1f s %s%n", (System.nanoTime() - start) / 1e9, line);
            }
        };
    }

    /**
     * The SASRec protocol on the time split: the history is the user's long-term sequence followed
     * by the validation clicks (both with strength >= tau, as in SASRec, where the test input
     * includes the validation item), and the held-out item is the first test click with strength >=
     * tau; at most {@code evalUsers} users, a seeded sample (the rest counted as {@code
     * eval_not_sampled}). Test users without a long-term sequence, or whose held-out item the
     * encoder never saw, are skipped and counted ({@code eval_skipped}). Popularity counts the
     * training users' items.
     */
    private static void evaluate(
            Warehouse warehouse,
            CsaEncoder encoder,
            CsaVocabulary vocab,
            Dataset<Row> trainUsers,
            Dataset<Row> withFeatures,
            CsaOptions o,
            Map<String, Object> figures) {
        if (!warehouse.hasTable("test") || o.evalUsers() == 0) {
            figures.put("eval_users", 0L);
            return;
        }
        Dataset<Row> firstTest =
                strongClicks(warehouse.read("test", SplitJob.NAME), o.tau())
                        .groupBy("user_id")
                        .agg(min(struct(col("ts"), col("item_id"))).getField("item_id").as("held"));
        Dataset<Row> cases = withFeatures.join(firstTest, "user_id");
        if (warehouse.hasTable("valid")) {
            Dataset<Row> validItems =
                    strongClicks(warehouse.read("valid", SplitJob.NAME), o.tau())
                            .groupBy("user_id")
                            .agg(
                                    sort_array(collect_list(struct(col("ts"), col("item_id"))))
                                            .getField("item_id")
                                            .as("valid_items"));
            cases = cases.join(validItems, "user_id", "left_outer");
        } else {
            cases = cases.withColumn("valid_items", lit(null).cast("array<bigint>"));
        }
        long testUsers = firstTest.count();
        long withSequence = cases.count();
        List<Row> sample =
                cases.orderBy(xxhash64(col("user_id"), lit(o.seed() + 1)))
                        .limit(o.evalUsers())
                        .select("long_items", "valid_items", "held", "features")
                        .collectAsList();
        List<LeaveOneOutCase> list = new ArrayList<>();
        long unknown = 0;
        for (Row r : sample) {
            int held = vocab.item(r.getLong(2));
            List<Long> items = new ArrayList<>(r.getList(0));
            if (!r.isNullAt(1)) {
                items.addAll(r.getList(1));
            }
            int[] history = vocab.items(items);
            if (held == 0 || history.length == 0) {
                unknown++;
                continue;
            }
            list.add(
                    new LeaveOneOutCase(
                            history,
                            held,
                            vocab.features(r.isNullAt(3) ? Map.of() : r.getJavaMap(3))));
        }
        figures.put("eval_users", (long) list.size());
        figures.put("eval_skipped", testUsers - withSequence + unknown);
        figures.put("eval_not_sampled", withSequence - sample.size());
        if (list.isEmpty() || vocab.numItems() <= CsaEvaluator.NEGATIVES + 1) {
            return;
        }
        long[] counts = new long[vocab.numItems() + 1];
        for (Row r :
                trainUsers
                        .select(explode(col("long_items")).as("item"))
                        .groupBy("item")
                        .count()
                        .collectAsList()) {
            counts[vocab.item(r.getLong(0))] += r.getLong(1);
        }
        int[][] negatives =
                CsaEvaluator.sampleNegatives(
                        list, vocab.numItems(), CsaEvaluator.NEGATIVES, o.seed());
        RankingResult csa = CsaEvaluator.leaveOneOut(encoder, list, negatives);
        RankingResult pop = PopularityBaseline.ofCounts(counts).leaveOneOut(list, negatives);
        figures.put("hr_at_10", round(csa.hitRate(10)));
        figures.put("ndcg_at_10", round(csa.ndcg(10)));
        figures.put("popularity_hr_at_10", round(pop.hitRate(10)));
        figures.put("popularity_ndcg_at_10", round(pop.ndcg(10)));
    }

    private static Dataset<Row> strongClicks(Dataset<Row> events, double tau) {
        return events.filter(col("event_type").equalTo("click").and(col("strength").geq(tau)));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    /** Loads the published model once per executor JVM and encodes users in batches. */
    private static MapPartitionsFunction<Row, Row> infer(
            String modelPath, SerializableConfiguration hadoop) {
        return rows -> {
            Path local = ModelFiles.fetch(modelPath, hadoop.value());
            CsaVocabulary vocab =
                    CsaVocabulary.parse(Files.readString(local.resolve("vocabulary.json")));
            CsaEncoder encoder = LoadedEncoders.load(local);
            List<Row> out = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            List<int[]> histories = new ArrayList<>();
            List<int[]> features = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                ids.add(r.getLong(0));
                histories.add(vocab.items(r.getList(1)));
                features.add(vocab.features(r.isNullAt(2) ? Map.of() : r.getJavaMap(2)));
                if (ids.size() == INFERENCE_CHUNK || !rows.hasNext()) {
                    float[][] h = encoder.userVectors(histories, features);
                    for (int i = 0; i < h.length; i++) {
                        out.add(RowFactory.create(ids.get(i), SparkRows.array(h[i])));
                    }
                    ids.clear();
                    histories.clear();
                    features.clear();
                }
            }
            return out.iterator();
        };
    }

    /** One loaded encoder per model directory and executor JVM. */
    static final class LoadedEncoders {
        private static final Map<Path, CsaEncoder> LOADED =
                new java.util.concurrent.ConcurrentHashMap<>();

        private LoadedEncoders() {}

        static CsaEncoder load(Path dir) {
            return LOADED.computeIfAbsent(dir, CsaEncoder::load);
        }
    }
}
