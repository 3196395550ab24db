package org.coea.spark.eval;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.model.baseline.BaselineConfig;
import org.coea.model.baseline.BaselineTraining;
import org.coea.model.baseline.Gru4Rec;
import org.coea.model.baseline.TwoTower;
import org.coea.model.train.TrainingLog;
import org.coea.spark.csa.CsaJob;
import org.coea.spark.csa.CsaVocabulary;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.warehouse.ModelFiles;
import org.coea.spark.warehouse.Warehouse;

/**
 * Trains the GRU4Rec and Two-tower baselines on the driver, on the same training data as the CSA
 * encoder (each user's {@code sequences.long_items}, item ids through the CSA vocabulary), and
 * turns them into category lists the way SASRec is ({@link NextItemCategories}: the next-item
 * softmax over the catalogue, a category's probability mass). Models go to {@code
 * models/baselines/<name>-s<seed>}.
 */
final class TrainedBaselines {
    /** Report names. */
    static final String GRU4REC = "GRU4Rec";

    static final String TWO_TOWER = "Two-tower";

    /** Option values (compare.baselines) and model directory names. */
    static final String GRU4REC_KEY = "gru4rec";

    static final String TWO_TOWER_KEY = "two-tower";

    private static final int K_MAX = 10;

    private TrainedBaselines() {}

    /** A trained baseline's category lists by user and its figures. */
    record Result(Map<Long, List<Integer>> lists, Map<String, Object> figures) {}

    /**
     * What every baseline trains and is scored on, read once per comparison: the CSA vocabulary,
     * each user's item sequence, the items' categories by vocabulary row and the catalogue size.
     */
    record Data(
            CsaVocabulary vocab,
            List<Long> users,
            List<int[]> sequences,
            int[][] itemCategories,
            int catalogue) {}

    /** Reads the shared tables the baselines need. */
    static Data load(SparkSession spark, Warehouse w) {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        CsaVocabulary vocab;
        try {
            Path csa = ModelFiles.fetch(w.modelPath(CsaJob.NAME), hadoop);
            vocab = CsaVocabulary.parse(Files.readString(csa.resolve("vocabulary.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "compare: cannot read the CSA vocabulary under " + w.modelPath(CsaJob.NAME), e);
        }
        List<Long> users = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
        for (Row r :
                w.read(SequencesJob.NAME, SequencesJob.NAME)
                        .select("user_id", "long_items")
                        .orderBy("user_id")
                        .collectAsList()) {
            users.add(r.getLong(0));
            sequences.add(r.isNullAt(1) ? new int[0] : vocab.items(r.getList(1)));
        }
        return new Data(
                vocab,
                users,
                sequences,
                itemCategories(w, vocab, vocab.numItems() + 1),
                EvaluateJob.catalogue(w).size());
    }

    /** Trains one baseline ({@link #GRU4REC_KEY} or {@link #TWO_TOWER_KEY}) with one seed. */
    static Result train(
            SparkSession spark, Warehouse w, Data data, String key, BaselineOptions o, long seed) {
        long start = System.nanoTime();
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        CsaVocabulary vocab = data.vocab();
        List<Long> users = data.users();
        List<int[]> sequences = data.sequences();
        BaselineTraining training =
                new BaselineTraining(o.epochs(), o.batchSize(), o.learningRate(), seed);
        String model = key.equals(GRU4REC_KEY) ? Gru4Rec.MODEL_TYPE : TwoTower.MODEL_TYPE;
        BaselineConfig config =
                new BaselineConfig(
                        model,
                        vocab.numItems(),
                        o.hidden(),
                        o.maxLength(),
                        o.dropout(),
                        o.temperature(),
                        seed);
        TrainingLog log = new TrainingLog();
        float[][] userVectors;
        float[] table;
        Path local;
        try {
            local = Files.createTempDirectory("coea-" + key + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (key.equals(GRU4REC_KEY)) {
            try (Gru4Rec m = Gru4Rec.create(config)) {
                m.train(sequences, training, log);
                userVectors = m.userVectors(sequences);
                table = m.itemTable();
                m.save(local);
            }
        } else if (key.equals(TWO_TOWER_KEY)) {
            try (TwoTower m = TwoTower.create(config)) {
                m.train(sequences, training, log);
                userVectors = m.userVectors(sequences);
                table = m.itemTable();
                m.save(local);
            }
        } else {
            throw new IllegalArgumentException("unknown trained baseline " + key);
        }
        ModelFiles.publish(local, w.modelPath("baselines/" + key + "-s" + seed), hadoop);
        NextItemCategories next =
                new NextItemCategories(table, o.hidden(), data.itemCategories(), data.catalogue());
        Map<Long, List<Integer>> lists = new LinkedHashMap<>();
        for (int u = 0; u < users.size(); u++) {
            lists.put(users.get(u), next.top(userVectors[u], K_MAX));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("steps", log.records().size());
        figures.put(
                "final_loss",
                log.last().map(r -> EvaluateJob.Report.round(r.loss())).orElse(Double.NaN));
        figures.put("seconds", EvaluateJob.Report.round((System.nanoTime() - start) / 1e9));
        System.out.printf(
                Locale.ROOT,
                "compare: %s seed %d: %d users, %d steps, final loss %s, %.1f s%n",
                key,
                seed,
                users.size(),
                log.records().size(),
                figures.get("final_loss"),
                (System.nanoTime() - start) / 1e9);
        return new Result(lists, figures);
    }

    /** Per item row of the CSA vocabulary, its category ids (empty for unknown rows). */
    static int[][] itemCategories(Warehouse w, CsaVocabulary vocab, int rows) {
        int[][] out = new int[rows][];
        Arrays.fill(out, new int[0]);
        for (Row r :
                w.read("items", IngestJob.NAME)
                        .select(col("item_id"), col("categories"))
                        .collectAsList()) {
            int i = vocab.item(r.getLong(0));
            if (i > 0 && i < rows && !r.isNullAt(1)) {
                out[i] = r.<Integer>getList(1).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return out;
    }
}
