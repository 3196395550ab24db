package org.coea.spark.csa;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
import org.coea.model.train.LearningRateSchedule;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;
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
 * (each user's first test click against 100 sampled items the user never clicked in training;
 * HR@10, NDCG@10, beside item popularity on the same negatives), publishes it to {@code
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

    private static final int INFERENCE_BATCH = 256;

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
                        .select(col("user_id"), col("long_items"), col("features"));
        List<Row> all = withFeatures.orderBy("user_id").collectAsList();
        List<Long> itemIds = new ArrayList<>();
        List<Map<String, String>> featureMaps = new ArrayList<>();
        for (Row r : all) {
            itemIds.addAll(r.<Long>getList(1));
            if (!r.isNullAt(2)) {
                featureMaps.add(r.getJavaMap(2));
            }
        }
        CsaVocabulary vocab = CsaVocabulary.of(itemIds, featureMaps);

        // Training users: all, or a seeded sample on large inputs.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        if (all.size() > o.maxTrainUsers()) {
            Collections.shuffle(order, new Random(o.seed()));
            order = new ArrayList<>(order.subList(0, o.maxTrainUsers()));
            Collections.sort(order);
        }
        List<int[]> trainSeqs = new ArrayList<>();
        List<int[]> trainFeatures = new ArrayList<>();
        Map<Long, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            rowOf.put(all.get(i).getLong(0), i);
        }
        for (int i : order) {
            Row r = all.get(i);
            trainSeqs.add(vocab.items(r.getList(1)));
            trainFeatures.add(vocab.features(r.isNullAt(2) ? Map.of() : r.getJavaMap(2)));
        }

        CsaConfig config =
                CsaConfig.builder()
                        .setNumItems(vocab.numItems())
                        .setNumFeatureValues(vocab.numFeatureValues())
                        .setNumFeatureFields(vocab.numFeatureFields())
                        .setMaxLength(o.maxLength())
                        .optHidden(o.hidden())
                        .optLayers(o.layers())
                        .optHeads(o.heads())
                        .optSeed(o.seed())
                        .build();
        int steps =
                Math.max(
                        1, (int) Math.ceil(o.epochs() * (double) trainSeqs.size() / o.batchSize()));
        long trainStart = System.nanoTime();
        Map<String, Object> figures = new java.util.LinkedHashMap<>();
        try (CsaEncoder encoder = CsaEncoder.create(config)) {
            TrainingLog log = new TrainingLog();
            new CsaTrainer(encoder)
                    .train(
                            trainSeqs,
                            trainFeatures,
                            TrainingOptions.builder()
                                    .setSteps(steps)
                                    .setLearningRate(o.learningRate())
                                    .optBatchSize(o.batchSize())
                                    .optWarmupSteps(steps / 20)
                                    .optDecay(LearningRateSchedule.Decay.COSINE)
                                    .optSeed(o.seed())
                                    .build(),
                            log);
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            figures.put("train_users", (long) trainSeqs.size());
            figures.put("items", (long) vocab.numItems());
            figures.put("steps", (long) steps);
            figures.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
            figures.put(
                    "final_loss",
                    log.last().map(r -> Math.round(r.loss() * 10000) / 10000.0).orElse(Double.NaN));

            evaluate(warehouse, encoder, vocab, all, rowOf, trainSeqs, o.seed(), figures);

            Path local = Files.createTempDirectory("coea-csa-");
            encoder.save(local);
            Files.writeString(local.resolve("vocabulary.json"), vocab.toJson());
            ModelFiles.publish(
                    local, warehouse.modelPath(NAME), spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("csa: cannot save the model", e);
        }

        String modelPath = warehouse.modelPath(NAME);
        SerializableConfiguration hadoop =
                new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        Dataset<Row> vectors =
                withFeatures.mapPartitions(infer(modelPath, hadoop), Encoders.row(USER_VECTORS));
        warehouse.publish(NAME, Map.of("user_vectors", vectors));
        long written = warehouse.read("user_vectors", NAME).count();
        StageMetrics.Builder m = StageMetrics.builder(NAME).rowsIn(all.size()).rowsOut(written);
        figures.forEach(m::put);
        StageMetrics metrics = m.seconds((System.nanoTime() - start) / 1e9).build();
        warehouse.writeMetrics(metrics);
        System.out.printf(
                Locale.ROOT,
                "csa: HR@10 %.4f, NDCG@10 %.4f (popularity %.4f, %.4f) on %s users; h_u for %,d users%n",
                figures.get("hr_at_10"),
                figures.get("ndcg_at_10"),
                figures.get("popularity_hr_at_10"),
                figures.get("popularity_ndcg_at_10"),
                figures.get("eval_users"),
                written);
        return metrics;
    }

    /** SASRec protocol: the user's training sequence as history, the first test click held out. */
    private static void evaluate(
            Warehouse warehouse,
            CsaEncoder encoder,
            CsaVocabulary vocab,
            List<Row> all,
            Map<Long, Integer> rowOf,
            List<int[]> trainSeqs,
            long seed,
            Map<String, Object> figures) {
        List<LeaveOneOutCase> cases = new ArrayList<>();
        long skipped = 0;
        if (warehouse.hasTable("test")) {
            List<Row> firstTest =
                    warehouse
                            .read("test", SplitJob.NAME)
                            .filter(col("event_type").equalTo("click"))
                            .groupBy("user_id")
                            .agg(
                                    min(struct(col("ts"), col("item_id")))
                                            .getField("item_id")
                                            .as("item"))
                            .collectAsList();
            for (Row t : firstTest) {
                Integer row = rowOf.get(t.getLong(0));
                int held = vocab.item(t.getLong(1));
                if (row == null || held == 0) {
                    skipped++;
                    continue;
                }
                Row r = all.get(row);
                int[] history = vocab.items(r.getList(1));
                if (history.length == 0) {
                    skipped++;
                    continue;
                }
                cases.add(
                        new LeaveOneOutCase(
                                history,
                                held,
                                vocab.features(r.isNullAt(2) ? Map.of() : r.getJavaMap(2))));
            }
        }
        figures.put("eval_users", (long) cases.size());
        figures.put("eval_skipped", skipped);
        if (cases.isEmpty() || vocab.numItems() <= CsaEvaluator.NEGATIVES + 1) {
            return;
        }
        int[][] negatives =
                CsaEvaluator.sampleNegatives(cases, vocab.numItems(), CsaEvaluator.NEGATIVES, seed);
        RankingResult csa = CsaEvaluator.leaveOneOut(encoder, cases, negatives);
        RankingResult pop =
                PopularityBaseline.fit(trainSeqs, vocab.numItems()).leaveOneOut(cases, negatives);
        figures.put("hr_at_10", round(csa.hitRate(10)));
        figures.put("ndcg_at_10", round(csa.ndcg(10)));
        figures.put("popularity_hr_at_10", round(pop.hitRate(10)));
        figures.put("popularity_ndcg_at_10", round(pop.ndcg(10)));
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
                if (ids.size() == INFERENCE_BATCH || !rows.hasNext()) {
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
