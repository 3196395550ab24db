package org.coea.spark.groups;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.model.GroupCsid;
import org.coea.model.rqvae.GroupAssigner;
import org.coea.model.rqvae.GroupAssignment;
import org.coea.model.rqvae.GroupQuality;
import org.coea.model.rqvae.RqVae;
import org.coea.model.rqvae.RqVaeConfig;
import org.coea.model.rqvae.RqVaeTrainer;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;
import org.coea.spark.CommonOptions;
import org.coea.spark.SparkRows;
import org.coea.spark.Stage;
import org.coea.spark.csa.CsaJob;
import org.coea.spark.warehouse.ModelFiles;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code groups} stage (Eq. 2, 6, 7): trains the RQ-VAE on the users' h_u, assigns every user a
 * CSID, brings the groups to G (the smaller CSIDs merge into the nearest of the G largest), picks
 * each group's M representatives nearest its centroid, and names the default CSID for cold-start
 * users (the largest group's). Writes {@code user_groups} and {@code groups} and the quality
 * figures (codebook usage and entropy per level, largest group share, intra- vs inter-group cosine
 * as in the paper's Figure 3).
 */
public final class GroupsJob implements Stage {
    /** The stage name. */
    public static final String NAME = "groups";

    /** {@code user_groups}: user_id, csid (fixed-width string), codes (the user's own RQ codes). */
    public static final StructType USER_GROUPS =
            new StructType()
                    .add("user_id", DataTypes.LongType, false)
                    .add("csid", DataTypes.StringType, false)
                    .add("codes", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    /**
     * {@code groups}: csid, size, centroid, representatives (user ids), merged CSIDs, default flag.
     */
    public static final StructType GROUPS =
            new StructType()
                    .add("csid", DataTypes.StringType, false)
                    .add("size", DataTypes.IntegerType, false)
                    .add("centroid", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                    .add(
                            "representatives",
                            DataTypes.createArrayType(DataTypes.LongType, false),
                            false)
                    .add(
                            "merged_csids",
                            DataTypes.createArrayType(DataTypes.StringType, false),
                            false)
                    .add("is_default", DataTypes.BooleanType, false);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "RQ-VAE group CSIDs for every user, G groups, representatives, default CSID, quality figures";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return GroupsOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                GroupsOptions.from(conf));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse, GroupsOptions o) {
        long start = System.nanoTime();
        List<Row> rows =
                warehouse.read("user_vectors", CsaJob.NAME).orderBy("user_id").collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalStateException("groups: user_vectors is empty");
        }
        long[] userIds = new long[rows.size()];
        float[][] vectors = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            userIds[i] = rows.get(i).getLong(0);
            List<Float> h = rows.get(i).getList(1);
            vectors[i] = new float[h.size()];
            for (int j = 0; j < vectors[i].length; j++) {
                vectors[i][j] = h.get(j);
            }
        }
        RqVaeConfig config =
                RqVaeConfig.builder()
                        .setInputDim(vectors[0].length)
                        .setLatentDim(o.latentDim())
                        .optLevels(o.levels())
                        .optCodebookSize(o.codebookSize())
                        .optSeed(o.seed())
                        .build();
        float[][] trainVectors = trainingSample(vectors, o.maxTrainUsers(), o.seed());
        int steps =
                Math.max(
                        1,
                        (int) Math.ceil(o.epochs() * (double) trainVectors.length / o.batchSize()));
        Map<String, Object> figures = new LinkedHashMap<>();
        GroupAssignment assignment;
        GroupQuality quality;
        int[][] codes;
        try (NDManager manager = NDManager.newBaseManager();
                RqVae rqvae = RqVae.create(config, manager)) {
            RqVaeTrainer trainer = new RqVaeTrainer(rqvae);
            TrainingLog log =
                    trainer.train(
                            trainVectors,
                            TrainingOptions.builder()
                                    .setSteps(steps)
                                    .setLearningRate(o.learningRate())
                                    .optBatchSize(Math.min(o.batchSize(), trainVectors.length))
                                    .optWarmupSteps(Math.max(1, steps / 20))
                                    .optSeed(o.seed())
                                    .build(),
                            new TrainingLog());
            codes = rqvae.codes(vectors);
            figures.put("train_users", (long) trainVectors.length);
            figures.put("steps", (long) steps);
            figures.put("dead_code_resets", trainer.deadCodeResets());
            figures.put(
                    "final_loss",
                    log.last().map(r -> Math.round(r.loss() * 10000) / 10000.0).orElse(Double.NaN));
            figures.put(
                    "reconstruction_error",
                    Math.round(rqvae.reconstructionError(vectors, o.levels()) * 10000) / 10000.0);
            Path local = Files.createTempDirectory("coea-rqvae-");
            rqvae.save(local);
            ModelFiles.publish(
                    local, warehouse.modelPath(NAME), spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("groups: cannot save the RQ-VAE", e);
        }
        GroupAssigner assigner =
                GroupAssigner.builder()
                        .setGroups(o.groups())
                        .optRepresentatives(o.representatives())
                        .optSeed(o.seed())
                        .build();
        assignment = assigner.assign(codes, vectors);
        quality = assigner.quality(assignment, codes, vectors, o.codebookSize());

        List<Row> userGroups = new ArrayList<>(userIds.length);
        for (int i = 0; i < userIds.length; i++) {
            userGroups.add(
                    RowFactory.create(
                            userIds[i],
                            assignment.csidOf(i).toString(),
                            SparkRows.array(codes[i])));
        }
        GroupCsid defaultCsid = assignment.defaultCsid();
        List<Row> groups = new ArrayList<>();
        for (GroupAssignment.Group g : assignment.groups()) {
            List<Long> reps = new ArrayList<>();
            for (int r : g.representatives()) {
                reps.add(userIds[r]);
            }
            List<String> merged = g.mergedCsids().stream().map(GroupCsid::toString).toList();
            groups.add(
                    RowFactory.create(
                            g.csid().toString(),
                            g.size(),
                            SparkRows.array(g.centroid()),
                            SparkRows.array(reps),
                            SparkRows.array(merged),
                            g.csid().equals(defaultCsid)));
        }
        Map<String, org.apache.spark.sql.Dataset<Row>> out = new LinkedHashMap<>();
        out.put("user_groups", spark.createDataFrame(userGroups, USER_GROUPS));
        out.put("groups", spark.createDataFrame(groups, GROUPS).coalesce(1));
        warehouse.publish(NAME, out);

        figures.put("num_groups", (long) quality.groups());
        figures.put("distinct_csids", (long) quality.distinctCsids());
        figures.put("largest_group_share", round(quality.largestGroupShare()));
        figures.put("intra_cosine", round(quality.intraCosine()));
        figures.put("inter_cosine", round(quality.interCosine()));
        figures.put("cosine_groups", (long) quality.cosineGroups());
        figures.put(
                "codebook_usage", quality.codebookUsage().stream().map(GroupsJob::round).toList());
        figures.put(
                "code_entropy_bits",
                quality.codeEntropyBits().stream().map(GroupsJob::round).toList());
        figures.put("default_csid", defaultCsid.toString());
        StageMetrics.Builder m =
                StageMetrics.builder(NAME).rowsIn(userIds.length).rowsOut(userIds.length);
        figures.forEach(m::put);
        StageMetrics metrics = m.seconds((System.nanoTime() - start) / 1e9).build();
        warehouse.writeMetrics(metrics);
        System.out.printf(
                Locale.ROOT,
                "groups: %d groups (%d distinct CSIDs), largest share %.3f, intra cosine %.3f vs inter %.3f, default %s%n",
                quality.groups(),
                quality.distinctCsids(),
                quality.largestGroupShare(),
                quality.intraCosine(),
                quality.interCosine(),
                defaultCsid);
        return metrics;
    }

    /** All vectors, or a seeded sample of {@code max} of them (in their original order). */
    static float[][] trainingSample(float[][] vectors, int max, long seed) {
        if (vectors.length <= max) {
            return vectors;
        }
        int[] order = org.coea.model.train.Seeds.shuffledOrder(seed, 0, vectors.length);
        int[] kept = java.util.Arrays.copyOf(order, max);
        java.util.Arrays.sort(kept);
        float[][] out = new float[max][];
        for (int i = 0; i < max; i++) {
            out[i] = vectors[kept[i]];
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
