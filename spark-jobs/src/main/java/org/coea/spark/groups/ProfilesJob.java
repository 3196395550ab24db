package org.coea.spark.groups;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
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
import org.coea.common.profile.StatisticalProfiler;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.profile.GroupHistories;
import org.coea.model.profile.ProfileItem;
import org.coea.model.profile.ProfileWriter;
import org.coea.model.profile.WrittenProfile;
import org.coea.model.qwen2.Qwen2Checkpoints;
import org.coea.spark.CommonOptions;
import org.coea.spark.SparkRows;
import org.coea.spark.Stage;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.warehouse.ModelFiles;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code profiles} stage: one textual profile per group from its representatives' long-term
 * sequences. The {@link StatisticalProfiler} always computes the dominant and distinctive
 * categories and example titles; it writes the profile text too unless {@code profiles.model} names
 * a checkpoint, in which case the Profile LM ({@link ProfileWriter}, model-runtime) writes it from
 * the representatives' histories as {@code title (categories)} lines: distributed with {@code
 * mapPartitions}, the model fetched and loaded once per executor JVM, groups decoded in batches.
 */
public final class ProfilesJob implements Stage {
    /** The stage name. */
    public static final String NAME = "profiles";

    /** {@code group_profiles}. */
    public static final StructType PROFILES =
            new StructType()
                    .add("csid", DataTypes.StringType, false)
                    .add("profile", DataTypes.StringType, false)
                    .add(
                            "dominant_categories",
                            DataTypes.createArrayType(DataTypes.StringType, false),
                            false)
                    .add(
                            "distinctive_categories",
                            DataTypes.createArrayType(DataTypes.StringType, false),
                            false)
                    .add(
                            "example_titles",
                            DataTypes.createArrayType(DataTypes.StringType, false),
                            false);

    /** What the Profile LM wrote per group, before it joins the statistical columns. */
    static final StructType WRITTEN =
            new StructType()
                    .add("csid", DataTypes.StringType, false)
                    .add("profile", DataTypes.StringType, false)
                    .add("prompt_tokens", DataTypes.IntegerType, false)
                    .add("kept_items", DataTypes.IntegerType, false)
                    .add("total_items", DataTypes.IntegerType, false);

    /** The metric value of {@code profiler} when the statistical profiler writes the text. */
    static final String STATISTICAL = "statistical";

    /** The metric value of {@code profiler} when the Profile LM writes the text. */
    static final String LANGUAGE_MODEL = "language-model";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "a textual profile per group from its representatives (statistical profiler, or the Profile LM with profiles.model)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return ProfilesOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                ProfilesOptions.from(conf));
    }

    /** Runs the stage with the statistical profiler. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse) {
        return run(spark, warehouse, ProfilesOptions.statistical());
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse warehouse, ProfilesOptions o) {
        long start = System.nanoTime();
        Dataset<Row> groups = warehouse.read("groups", GroupsJob.NAME);
        Dataset<Row> sequences = warehouse.read(SequencesJob.NAME, SequencesJob.NAME);
        Dataset<Row> items = warehouse.read("items", IngestJob.NAME);
        Dataset<Row> categories = warehouse.read("train_categories", SplitJob.NAME);
        HashMap<Integer, String> names = new HashMap<>();
        Map<String, Long> global = new HashMap<>();
        for (Row c : categories.collectAsList()) {
            names.put(c.getInt(0), c.getString(1));
            global.put(c.getString(1), c.getLong(2));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, String> written = Map.of();
        if (o.model().isPresent()) {
            written = languageModel(spark, groups, sequences, items, names, o, figures);
        } else {
            figures.put("profiler", STATISTICAL);
        }
        // Representative clicks: (csid, item) over the representatives' long-term sequences.
        Dataset<Row> repClicks =
                groups.select(col("csid"), explode(col("representatives")).as("user_id"))
                        .join(
                                sequences.select(
                                        col("user_id"), explode(col("long_items")).as("item_id")),
                                "user_id")
                        .join(items.select("item_id", "title", "categories"), "item_id");
        Map<String, Map<String, Long>> groupCats = new HashMap<>();
        for (Row r :
                repClicks
                        .select(col("csid"), explode(col("categories")).as("c"))
                        .groupBy("csid", "c")
                        .count()
                        .collectAsList()) {
            groupCats
                    .computeIfAbsent(r.getString(0), k -> new HashMap<>())
                    .put(categoryName(names, r.getInt(1)), r.getLong(2));
        }
        Map<String, Map<String, Long>> groupTitles = new HashMap<>();
        for (Row r : repClicks.groupBy("csid", "title").count().collectAsList()) {
            groupTitles
                    .computeIfAbsent(r.getString(0), k -> new HashMap<>())
                    .put(r.getString(1), r.getLong(2));
        }
        StatisticalProfiler profiler = new StatisticalProfiler(3, 2, 3, 3);
        List<Row> out = new ArrayList<>();
        long fallback = 0;
        for (Row g : groups.select("csid").orderBy("csid").collectAsList()) {
            String csid = g.getString(0);
            StatisticalProfiler.Profile p =
                    profiler.profile(
                            groupCats.getOrDefault(csid, Map.of()),
                            global,
                            groupTitles.getOrDefault(csid, Map.of()));
            String text = p.text();
            if (o.model().isPresent()) {
                String lm = written.get(csid);
                if (lm != null && !lm.isBlank()) {
                    text = lm;
                } else {
                    fallback++;
                }
            }
            out.add(
                    RowFactory.create(
                            csid,
                            text,
                            SparkRows.array(p.dominantCategories()),
                            SparkRows.array(p.distinctiveCategories()),
                            SparkRows.array(p.exampleTitles())));
        }
        if (o.model().isPresent()) {
            figures.put("statistical_fallbacks", fallback);
        }
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        tables.put("group_profiles", spark.createDataFrame(out, PROFILES).coalesce(1));
        warehouse.publish(NAME, tables);
        StageMetrics.Builder b = StageMetrics.builder(NAME).rowsIn(out.size()).rowsOut(out.size());
        figures.forEach(b::put);
        StageMetrics m =
                b.put("groups", (long) out.size())
                        .seconds((System.nanoTime() - start) / 1e9)
                        .build();
        warehouse.writeMetrics(m);
        if (!out.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "profiles: %d groups (%s), e.g. %s: %s%n",
                    out.size(),
                    figures.get("profiler"),
                    out.get(0).getString(0),
                    out.get(0).getString(1));
        }
        return m;
    }

    /**
     * The Profile LM's text per CSID. Each group's input is its representatives' long-term
     * sequences, in the order of {@code representatives}, each oldest first, as {@code (title,
     * category names)} items; representatives without a known item are left out, and a group
     * without any item gets no text (the statistical sentence stands in).
     */
    private static Map<String, String> languageModel(
            SparkSession spark,
            Dataset<Row> groups,
            Dataset<Row> sequences,
            Dataset<Row> items,
            HashMap<Integer, String> names,
            ProfilesOptions o,
            Map<String, Object> figures) {
        long start = System.nanoTime();
        String modelPath = o.model().orElseThrow();
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        checkModelFiles(modelPath, hadoop);
        Dataset<Row> inputs = groupInputs(groups, sequences, items);
        List<Row> rows =
                inputs.mapPartitions(
                                write(
                                        modelPath,
                                        new SerializableConfiguration(hadoop),
                                        names,
                                        o.maxNewTokens(),
                                        o.maxPromptTokens(),
                                        o.batchSize(),
                                        o.device()),
                                Encoders.row(WRITTEN))
                        .collectAsList();
        Map<String, String> texts = new HashMap<>();
        long truncated = 0;
        long promptTokens = 0;
        for (Row r : rows) {
            texts.put(r.getString(0), r.getString(1));
            promptTokens += r.getInt(2);
            if (r.getInt(3) < r.getInt(4)) {
                truncated++;
            }
        }
        figures.put("profiler", LANGUAGE_MODEL);
        figures.put("profile_model", modelPath);
        figures.put("max_new_tokens", (long) o.maxNewTokens());
        figures.put("max_prompt_tokens", (long) o.maxPromptTokens());
        figures.put("lm_groups", (long) rows.size());
        figures.put("truncated_prompts", truncated);
        figures.put(
                "mean_prompt_tokens",
                rows.isEmpty() ? 0.0 : Math.round(10.0 * promptTokens / rows.size()) / 10.0);
        figures.put("lm_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        return texts;
    }

    /**
     * Per group: csid, histories = list of (rep, items = list of (pos, title, categories)); the
     * orders are restored from rep and pos where the input is read.
     */
    static Dataset<Row> groupInputs(
            Dataset<Row> groups, Dataset<Row> sequences, Dataset<Row> items) {
        Dataset<Row> reps =
                groups.select(
                        col("csid"),
                        posexplode(col("representatives")).as(new String[] {"rep", "user_id"}));
        Dataset<Row> clicks =
                sequences.select(
                        col("user_id"),
                        posexplode(col("long_items")).as(new String[] {"pos", "item_id"}));
        return reps.join(clicks, "user_id")
                .join(items.select("item_id", "title", "categories"), "item_id")
                .groupBy("csid", "rep")
                .agg(collect_list(struct(col("pos"), col("title"), col("categories"))).as("items"))
                .groupBy("csid")
                .agg(collect_list(struct(col("rep"), col("items"))).as("histories"));
    }

    /** A group's histories from a {@link #groupInputs} row. */
    static GroupHistories histories(Row group, Map<Integer, String> names) {
        List<Row> reps = new ArrayList<>(group.getList(1));
        reps.sort(Comparator.comparingInt(r -> r.getInt(0)));
        List<List<ProfileItem>> histories = new ArrayList<>(reps.size());
        for (Row rep : reps) {
            List<Row> clicks = new ArrayList<>(rep.getList(1));
            clicks.sort(Comparator.comparingInt(r -> r.getInt(0)));
            List<ProfileItem> h = new ArrayList<>(clicks.size());
            for (Row c : clicks) {
                List<String> cats = new ArrayList<>();
                for (Object id : c.getList(2)) {
                    cats.add(categoryName(names, (Integer) id));
                }
                h.add(new ProfileItem(c.getString(1), cats));
            }
            histories.add(h);
        }
        return new GroupHistories(histories);
    }

    private static String categoryName(Map<Integer, String> names, int id) {
        return names.getOrDefault(id, "category " + id);
    }

    /** Fails on the driver, naming the file, before any executor loads the model. */
    private static void checkModelFiles(String modelPath, org.apache.hadoop.conf.Configuration c) {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(modelPath);
        try {
            FileSystem fs = dir.getFileSystem(c);
            for (String name : List.of(Qwen2Checkpoints.CONFIG, ProfileWriter.TOKENIZER_FILE)) {
                org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, name);
                if (!fs.exists(file)) {
                    throw new IllegalArgumentException(
                            ProfilesOptions.MODEL.key()
                                    + "="
                                    + modelPath
                                    + " is not a Profile LM checkpoint directory: no "
                                    + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Profile LM at " + modelPath, e);
        }
    }

    /** Loads the model once per executor JVM and profiles a partition's groups in batches. */
    private static MapPartitionsFunction<Row, Row> write(
            String modelPath,
            SerializableConfiguration hadoop,
            HashMap<Integer, String> names,
            int maxNewTokens,
            int maxPromptTokens,
            int batchSize,
            DeviceSetting device) {
        return rows -> {
            if (!rows.hasNext()) {
                return Collections.emptyIterator();
            }
            List<String> csids = new ArrayList<>();
            List<GroupHistories> inputs = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                csids.add(r.getString(0));
                inputs.add(histories(r, names));
            }
            Path local = ModelFiles.fetch(modelPath, hadoop.value());
            ProfileWriter writer =
                    LoadedWriters.load(
                            new LoadedWriters.Key(
                                    local, maxNewTokens, maxPromptTokens, batchSize, device));
            List<WrittenProfile> written = writer.write(inputs);
            List<Row> out = new ArrayList<>(written.size());
            for (int i = 0; i < written.size(); i++) {
                WrittenProfile w = written.get(i);
                out.add(
                        RowFactory.create(
                                csids.get(i),
                                w.text(),
                                w.prompt().ids().length,
                                w.prompt().keptItems(),
                                w.prompt().totalItems()));
            }
            return out.iterator();
        };
    }

    /** One loaded Profile LM per checkpoint directory, settings and executor JVM. */
    static final class LoadedWriters {
        private static final Map<Key, ProfileWriter> LOADED = new ConcurrentHashMap<>();

        private LoadedWriters() {}

        record Key(
                Path dir,
                int maxNewTokens,
                int maxPromptTokens,
                int batchSize,
                DeviceSetting device) {}

        static ProfileWriter load(Key key) {
            return LOADED.computeIfAbsent(
                    key,
                    k ->
                            ProfileWriter.builder()
                                    .setModelPath(k.dir())
                                    .optMaxNewTokens(k.maxNewTokens())
                                    .optMaxPromptTokens(k.maxPromptTokens())
                                    .optBatchSize(k.batchSize())
                                    .optDevice(DeviceSelection.select(k.device()))
                                    .build());
        }
    }
}
