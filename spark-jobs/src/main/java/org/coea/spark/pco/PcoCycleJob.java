package org.coea.spark.pco;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.pco.CycleGuard;
import org.coea.common.pco.CycleSample;
import org.coea.common.pco.PcoExamples;
import org.coea.common.pco.ValidationFigures;
import org.coea.model.device.DeviceSelection;
import org.coea.model.pco.ModelRegistry;
import org.coea.model.pco.NoveltyModel;
import org.coea.model.pco.PcoPrompt;
import org.coea.model.pco.Proposal;
import org.coea.model.pco.RelevanceModel;
import org.coea.model.train.TrainingLog;
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.split.SplitJob;
import org.coea.spark.store.StoreOptions;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code pco-cycle} stage: T cycles of Periodic Collaborative Optimization (Eq. 15-17).
 *
 * <p>Cycle t starts from registry version t-1 and
 *
 * <ol>
 *   <li>samples rho of the stored behaviour D_t (training clicks and validation slices before t,
 *       {@link CycleSample}), lets the Novelty model propose N candidates per sampled prompt and
 *       the Relevance model score them; the best and worst scored form a (chosen, rejected) pair;
 *   <li>updates the Novelty model's LoRA adapter by DPO against a frozen copy of cycle t-1's
 *       adapter, plus lambda times the KL term;
 *   <li>updates the Relevance model on the new positives of slice t (D_{t+1} = D_t + slice t);
 *   <li>regenerates and rescores every key of the users' states after slice t;
 *   <li>measures validation novelty and relevance on slice t+1 (users who click in it: the share of
 *       their top 5 outside their history, and clicked);
 *   <li>unless the guard trips (novelty fell by more than {@code pco.guard-drop} of the previous
 *       version's), publishes registry version t (models, adapter, kept categories, metrics,
 *       checksums), then rewrites the store from it.
 * </ol>
 *
 * A run killed anywhere resumes from the newest complete registry version; a version published but
 * not yet in the store (file {@code registry/STORED} names the last stored one) is stored first.
 * Every draw is seeded by (seed, cycle), so a resumed run ends as an uninterrupted one.
 */
public final class PcoCycleJob implements Stage {
    /** The stage name. */
    public static final String NAME = "pco-cycle";

    /** The registry directory under the warehouse. */
    public static final String REGISTRY = "registry";

    static final String STORED = "STORED";

    /** The kept categories of a version, one Parquet file sorted by key. */
    public static final String NOVEL_FILE = "novel_categories.parquet";

    static final int K = 5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "T PCO cycles: DPO+KL on a 1% sample, Relevance update, regenerate, rescore, registry version and store per cycle (--pco.rollback-to N restores one)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(PcoOptions.OPTIONS);
        all.addAll(StoreBridge.options());
        return all;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        Warehouse w = new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE));
        return run(
                spark, w, PcoOptions.from(conf), StoreBridge.of(spark, w, conf), CycleHooks.NONE);
    }

    /** Runs the stage with resolved options, rewriting the store the store options describe. */
    public StageMetrics run(SparkSession spark, Warehouse w, PcoOptions o, StoreOptions store) {
        return run(spark, w, o, new StoreBridge(spark, w, store), CycleHooks.NONE);
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(
            SparkSession spark, Warehouse w, PcoOptions o, CycleStore store, CycleHooks hooks) {
        long start = System.nanoTime();
        Path root = ModelLocation.localPath(w.root());
        if (root == null) {
            throw new IllegalArgumentException(
                    "pco-cycle keeps its model registry under the warehouse on a local or mounted"
                            + " file system; the warehouse "
                            + w.root()
                            + " is not local");
        }
        ModelRegistry registry = new ModelRegistry(root.resolve(REGISTRY));
        int cleaned = registry.cleanPartials();
        if (cleaned > 0) {
            System.out.printf(
                    Locale.ROOT, "pco-cycle: removed %d partial registry version(s)%n", cleaned);
        }
        PcoContext ctx = PcoContext.load(w, o.ablation());
        Run run = new Run(spark, w, o, store, hooks, registry, ctx);
        try {
            if (o.rollbackTo().isPresent()) {
                return run.rollback(o.rollbackTo().get(), start);
            }
            return run.cycles(start);
        } finally {
            run.close();
        }
    }

    /** One invocation's state. */
    private static final class Run implements AutoCloseable {
        final SparkSession spark;
        final Warehouse w;
        final PcoOptions o;
        final CycleStore store;
        final CycleHooks hooks;
        final ModelRegistry registry;
        final PcoContext ctx;
        final Dataset<Row> behaviour;
        final Dataset<Row> states;
        final long[] popularity;

        Run(
                SparkSession spark,
                Warehouse w,
                PcoOptions o,
                CycleStore store,
                CycleHooks hooks,
                ModelRegistry registry,
                PcoContext ctx) {
            this.spark = spark;
            this.w = w;
            this.o = o;
            this.store = store;
            this.hooks = hooks;
            this.registry = registry;
            this.ctx = ctx;
            this.behaviour = w.read(PcoTables.BEHAVIOUR, PcoDatasetsJob.NAME).cache();
            this.states = w.read(PcoTables.STATES, PcoDatasetsJob.NAME).cache();
            this.popularity = popularity(w);
        }

        StageMetrics cycles(long start) {
            if (registry.latest().isEmpty()) {
                bootstrap();
            }
            int latest = registry.latest().getAsInt();
            int resumedFrom = latest;
            storeIfBehind(latest);
            boolean stopped = false;
            for (int t = latest + 1; t <= o.cycles(); t++) {
                if (!cycle(t)) {
                    stopped = true;
                    break;
                }
            }
            return finish(start, resumedFrom, stopped);
        }

        StageMetrics rollback(int version, long start) {
            List<Integer> moved = registry.rollbackTo(version);
            writeStore(version);
            System.out.printf(
                    Locale.ROOT,
                    "pco-cycle: rolled back to %s (moved aside: %s); the store serves it again%n",
                    ModelRegistry.name(version),
                    moved);
            StageMetrics.Builder b =
                    StageMetrics.builder(NAME)
                            .rowsIn(0)
                            .rowsOut(0)
                            .put("rolled_back_to", (long) version)
                            .put(
                                    "rolled_back_versions",
                                    moved.stream().map(Long::valueOf).toList());
            StageMetrics m = b.seconds((System.nanoTime() - start) / 1e9).build();
            w.writeMetrics(m);
            return m;
        }

        /** Version 0: the fine-tuned models of novelty-train and relevance-train. */
        void bootstrap() {
            Path staged = registry.stage(0);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("cycle", 0L);
            copyTree(
                    ModelLocation.of(
                                    w.modelPath(NoveltyTrainJob.MODEL),
                                    spark.sparkContext().hadoopConfiguration())
                            .local(),
                    staged.resolve("novelty"));
            if (relevanceOn()) {
                copyTree(
                        ModelLocation.of(
                                        w.modelPath(RelevanceTrainJob.MODEL),
                                        spark.sparkContext().hadoopConfiguration())
                                .local(),
                        staged.resolve("relevance"));
            }
            regenerate(0, staged, metrics);
            registry.publish(0, staged, metrics);
            System.out.printf(Locale.ROOT, "pco-cycle: registry version 0 %s%n", metrics);
            writeStore(0);
        }

        /** Runs cycle t; false when the guard stopped it. */
        boolean cycle(int t) {
            long c0 = System.nanoTime();
            Path prev = registry.path(t - 1);
            Path staged = registry.stage(t);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("cycle", (long) t);
            long seed = o.seed() * 1_000_003L + t;
            DeviceSelection device = DeviceSelection.select(o.device());
            try (NoveltyModel novelty = NoveltyModel.load(prev.resolve("novelty"), device);
                    RelevanceModel relevance =
                            relevanceOn()
                                    ? RelevanceModel.load(prev.resolve("relevance"), device)
                                    : null) {
                long p0 = System.nanoTime();
                List<Row> sample = sample(t);
                metrics.put("sampled", (long) sample.size());
                long p1 = System.nanoTime();
                Pairs pairs = pairs(sample, novelty, relevance);
                metrics.put("dpo_pairs", (long) pairs.prompts.size());
                long p2 = System.nanoTime();
                metrics.put("sample_seconds", seconds(p0, p1));
                metrics.put("pairs_seconds", seconds(p1, p2));
                hooks.after(t, "sampled");
                if (o.dpoSteps() > 0 && !pairs.prompts.isEmpty()) {
                    Map<String, Double> f =
                            novelty.dpo(
                                    pairs.prompts,
                                    pairs.chosen(),
                                    pairs.rejected(),
                                    o.beta(),
                                    o.effectiveLambda(),
                                    PcoTraining.options(
                                            o.dpoSteps(),
                                            o.dpoBatchSize(),
                                            o.dpoLearningRate(),
                                            seed),
                                    seed,
                                    line -> {});
                    metrics.put("dpo_loss", PcoTraining.round(f.get("loss"), 5));
                    metrics.put("dpo_margin", PcoTraining.round(f.get("margin"), 5));
                    metrics.put("dpo_accuracy", PcoTraining.round(f.get("accuracy"), 4));
                    metrics.put("kl", PcoTraining.round(f.get("kl"), 6));
                }
                long p3 = System.nanoTime();
                metrics.put("dpo_seconds", seconds(p2, p3));
                hooks.after(t, "dpo");
                if (relevance != null && o.relevanceCycleSteps() > 0) {
                    updateRelevance(t, seed, relevance, metrics);
                }
                hooks.after(t, "relevance");
                long p4 = System.nanoTime();
                metrics.put("relevance_seconds", seconds(p3, p4));
                novelty.save(staged.resolve("novelty"));
                if (relevance != null) {
                    relevance.save(staged.resolve("relevance"));
                }
            }
            regenerate(t, staged, metrics);
            hooks.after(t, "regenerated");
            Double before = number(registry.metrics(t - 1).get("valid_novelty_at_5"));
            Double now = (Double) metrics.get("valid_novelty_at_5");
            if (before != null && now != null && CycleGuard.trips(before, now, o.guardDrop())) {
                deleteTree(staged);
                System.out.printf(
                        Locale.ROOT,
                        "pco-cycle: GUARD: cycle %d validation novelty %.4f fell more than %.0f%% below %.4f; version %s stays current, cycles stop%n",
                        t,
                        now,
                        100 * o.guardDrop(),
                        before,
                        ModelRegistry.name(t - 1));
                return false;
            }
            metrics.put("seconds", PcoTraining.round((System.nanoTime() - c0) / 1e9, 1));
            registry.publish(t, staged, metrics);
            hooks.after(t, "published");
            long s0 = System.nanoTime();
            writeStore(t);
            double storeSeconds = seconds(s0, System.nanoTime());
            hooks.after(t, "stored");
            System.out.printf(
                    Locale.ROOT,
                    "pco-cycle %d/%d: %s store_seconds=%.1f%n",
                    t,
                    o.cycles(),
                    line(metrics),
                    storeSeconds);
            return true;
        }

        private boolean relevanceOn() {
            return o.ablation() != Ablation.NO_RELEVANCE;
        }

        /** The cycle's sample of D_t, sorted by user and position. */
        List<Row> sample(int t) {
            long seed = o.seed();
            double rate = o.sampleRate();
            return behaviour
                    .filter(col("slice").lt(t))
                    .filter(
                            (FilterFunction<Row>)
                                    r -> CycleSample.keep(seed, t, r.getLong(0), r.getInt(1), rate))
                    .orderBy("user_id", "position")
                    .select("user_id", "position", "csid", "recent", "clicked")
                    .collectAsList();
        }

        record Pairs(
                List<PcoPrompt> prompts, List<Integer> chosenList, List<Integer> rejectedList) {
            int[] chosen() {
                return chosenList.stream().mapToInt(Integer::intValue).toArray();
            }

            int[] rejected() {
                return rejectedList.stream().mapToInt(Integer::intValue).toArray();
            }
        }

        /**
         * (chosen, rejected) per sampled prompt: the highest- and lowest-scored candidates (Eq.
         * 15); without a Relevance model, a candidate the user clicked next over the least likely
         * candidate not clicked.
         */
        Pairs pairs(List<Row> sample, NoveltyModel novelty, RelevanceModel relevance) {
            List<PcoPrompt> prompts = new ArrayList<>(sample.size());
            for (Row r : sample) {
                int[] recent = PcoContext.ints(r, 3);
                prompts.add(ctx.prompt(r.getString(2), recent, recent));
            }
            List<List<Proposal>> proposed = novelty.propose(prompts, o.candidates());
            Pairs out = new Pairs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            if (relevance != null) {
                List<PcoPrompt> flatPrompts = new ArrayList<>();
                List<Integer> flatCats = new ArrayList<>();
                for (int i = 0; i < prompts.size(); i++) {
                    for (Proposal p : proposed.get(i)) {
                        flatPrompts.add(prompts.get(i));
                        flatCats.add(p.categoryId());
                    }
                }
                double[] s =
                        relevance.score(
                                flatPrompts,
                                flatCats.stream().mapToInt(Integer::intValue).toArray());
                int at = 0;
                for (int i = 0; i < prompts.size(); i++) {
                    List<Proposal> ps = proposed.get(i);
                    int best = -1;
                    int worst = -1;
                    for (int k = 0; k < ps.size(); k++) {
                        if (best < 0 || s[at + k] > s[at + best]) {
                            best = k;
                        }
                        if (worst < 0 || s[at + k] < s[at + worst]) {
                            worst = k;
                        }
                    }
                    if (ps.size() >= 2 && s[at + best] > s[at + worst]) {
                        out.prompts.add(prompts.get(i));
                        out.chosenList.add(ps.get(best).categoryId());
                        out.rejectedList.add(ps.get(worst).categoryId());
                    }
                    at += ps.size();
                }
                return out;
            }
            for (int i = 0; i < prompts.size(); i++) {
                Set<Integer> clicked = new HashSet<>();
                for (int c : PcoContext.ints(sample.get(i), 4)) {
                    clicked.add(c);
                }
                Integer chosen = null;
                Integer rejected = null;
                for (Proposal p : proposed.get(i)) {
                    if (clicked.contains(p.categoryId())) {
                        if (chosen == null) {
                            chosen = p.categoryId();
                        }
                    } else {
                        rejected = p.categoryId();
                    }
                }
                if (chosen != null && rejected != null) {
                    out.prompts.add(prompts.get(i));
                    out.chosenList.add(chosen);
                    out.rejectedList.add(rejected);
                }
            }
            return out;
        }

        /** Pairwise steps on slice t's positives, negatives drawn by popularity (Eq. 11). */
        void updateRelevance(int t, long seed, RelevanceModel relevance, Map<String, Object> m) {
            List<Row> rows =
                    behaviour
                            .filter(col("slice").equalTo(t).and(size(col("clicked")).gt(0)))
                            .orderBy("user_id", "position")
                            .select("user_id", "position", "csid", "recent", "clicked")
                            .collectAsList();
            List<PcoPrompt> prompts = new ArrayList<>();
            List<Integer> pos = new ArrayList<>();
            List<Integer> neg = new ArrayList<>();
            for (Row r : rows) {
                int[] recent = PcoContext.ints(r, 3);
                int[] clicked = PcoContext.ints(r, 4);
                Set<Integer> excluded = new HashSet<>();
                for (int c : recent) {
                    excluded.add(c);
                }
                for (int c : clicked) {
                    excluded.add(c);
                }
                SplittableRandom random =
                        new SplittableRandom(PcoExamples.mix(seed, r.getLong(0), r.getInt(1)));
                PcoPrompt p = ctx.prompt(r.getString(2), recent, recent);
                for (int c : clicked) {
                    int negative = PcoExamples.byPopularity(popularity, excluded, random);
                    if (negative >= 0) {
                        prompts.add(p);
                        pos.add(c);
                        neg.add(negative);
                    }
                }
            }
            m.put("relevance_pairs", (long) prompts.size());
            if (prompts.isEmpty()) {
                return;
            }
            int[] p = pos.stream().mapToInt(Integer::intValue).toArray();
            int[] n = neg.stream().mapToInt(Integer::intValue).toArray();
            TrainingLog log =
                    relevance.train(
                            prompts,
                            p,
                            n,
                            PcoTraining.options(
                                    o.relevanceCycleSteps(),
                                    o.batchSize(),
                                    o.learningRate() / 10,
                                    seed),
                            line -> {});
            m.put(
                    "relevance_loss",
                    PcoTraining.round(log.last().map(x -> x.loss()).orElse(Double.NaN), 5));
            org.coea.model.pco.Calibration c = relevance.calibrate(prompts, p, n);
            m.put("calibration_scale", PcoTraining.round(c.scale(), 4));
            m.put("calibration_offset", PcoTraining.round(c.offset(), 4));
        }

        /**
         * Regenerates and rescores every key of the states after slice t with the staged models,
         * writes the kept categories under {@code staged/novel} and adds the validation figures.
         */
        void regenerate(int t, Path staged, Map<String, Object> metrics) {
            long g0 = System.nanoTime();
            Dataset<Row> keys = Candidates.keys(states, t);
            org.apache.hadoop.conf.Configuration hadoop =
                    spark.sparkContext().hadoopConfiguration();
            Dataset<Row> candidates =
                    Candidates.generate(
                            keys,
                            ModelLocation.of(staged.resolve("novelty").toUri().toString(), hadoop),
                            ctx,
                            o.candidates());
            Dataset<Row> novel =
                    Candidates.score(
                            candidates,
                            relevanceOn()
                                    ? ModelLocation.of(
                                            staged.resolve("relevance").toUri().toString(), hadoop)
                                    : null,
                            ctx,
                            o.gamma(),
                            ModelRegistry.name(t),
                            t);
            Path file = writeSorted(novel, staged);
            Dataset<Row> written = spark.read().parquet(file.toUri().toString());
            long v0 = System.nanoTime();
            Candidates.Kept s = Candidates.Kept.of(written);
            double seconds = (System.nanoTime() - g0) / 1e9;
            metrics.put("keys", s.keys());
            metrics.put("mean_kept", PcoTraining.round(s.meanKept(), 3));
            metrics.put("empty_keys", s.emptyKeys());
            metrics.put("regenerate_seconds", PcoTraining.round(seconds, 1));
            validate(t, written, metrics);
            metrics.put("validate_seconds", seconds(v0, System.nanoTime()));
        }

        /** Novelty and relevance at K = 5 of the users who click in slice t + 1. */
        void validate(int t, Dataset<Row> novel, Map<String, Object> metrics) {
            Dataset<Row> probe =
                    states.filter(col("slice").equalTo(t + 1))
                            .select(col("user_id"), col("slice_categories").as("clicked"));
            Dataset<Row> before =
                    states.filter(col("slice").leq(t))
                            .withColumn(
                                    "rn",
                                    row_number()
                                            .over(
                                                    Window.partitionBy("user_id")
                                                            .orderBy(col("slice").desc())))
                            .filter(col("rn").equalTo(1))
                            .select("user_id", "csid", "short_hash", "history");
            List<Row> rows =
                    probe.join(before, "user_id")
                            .join(
                                    novel.select(
                                            col("csid").as("n_csid"),
                                            col("short_hash").as("n_hash"),
                                            col("categories")),
                                    col("csid")
                                            .equalTo(col("n_csid"))
                                            .and(col("short_hash").equalTo(col("n_hash"))),
                                    "left")
                            .select("user_id", "clicked", "history", "categories")
                            .orderBy("user_id")
                            .collectAsList();
            if (rows.isEmpty()) {
                return;
            }
            double novelty = 0;
            double hits = 0;
            for (Row r : rows) {
                Set<Integer> clicked = new HashSet<>(r.getList(1));
                Set<Integer> history = new HashSet<>(r.getList(2));
                List<Integer> ranked = new ArrayList<>();
                if (!r.isNullAt(3)) {
                    for (Object c : r.getList(3)) {
                        ranked.add(((Row) c).getInt(0));
                    }
                }
                novelty += ValidationFigures.novelty(ranked, history, K);
                hits += ValidationFigures.hits(ranked, clicked, K);
            }
            metrics.put("valid_users", (long) rows.size());
            metrics.put("valid_novelty_at_5", PcoTraining.round(novelty / rows.size(), 5));
            metrics.put("valid_hit_at_5", PcoTraining.round(hits / rows.size(), 5));
        }

        /** Publishes a registry version's kept categories as novel_categories and stores them. */
        void writeStore(int version) {
            long next =
                    store.currentVersion().isPresent() ? store.currentVersion().getAsLong() + 1 : 0;
            Dataset<Row> novel =
                    spark.read()
                            .parquet(registry.path(version).resolve(NOVEL_FILE).toUri().toString())
                            .withColumn("version", lit(next));
            w.publish(NAME, Map.of(PcoTables.NOVEL_CATEGORIES, novel));
            store.write();
            writeStored(version);
        }

        void storeIfBehind(int latest) {
            Path marker = registry.root().resolve(STORED);
            String stored = "";
            try {
                if (Files.isRegularFile(marker)) {
                    stored = Files.readString(marker, StandardCharsets.UTF_8).strip();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + marker, e);
            }
            if (!stored.equals(ModelRegistry.name(latest))) {
                System.out.printf(
                        Locale.ROOT,
                        "pco-cycle: registry version %s is not in the store yet (stored: %s); storing it%n",
                        ModelRegistry.name(latest),
                        stored.isEmpty() ? "none" : stored);
                writeStore(latest);
            }
        }

        void writeStored(int version) {
            Path marker = registry.root().resolve(STORED);
            try {
                Path tmp = Files.createTempFile(registry.root(), "." + STORED, ".tmp");
                Files.writeString(tmp, ModelRegistry.name(version) + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + marker, e);
            }
        }

        StageMetrics finish(long start, int resumedFrom, boolean stopped) {
            List<Map<String, Object>> cycles = new ArrayList<>();
            for (int v : registry.versions()) {
                if (v > 0) {
                    cycles.add(registry.metrics(v));
                }
            }
            OptionalInt current = registry.current();
            StageMetrics m =
                    StageMetrics.builder(NAME)
                            .rowsIn(cycles.size())
                            .rowsOut(cycles.size())
                            .put("cycles_requested", (long) o.cycles())
                            .put("cycles_completed", (long) cycles.size())
                            .put("resumed_from", (long) resumedFrom)
                            .put("stopped_by_guard", stopped)
                            .put("current_version", ModelRegistry.name(current.orElse(0)))
                            .put(
                                    "ablation",
                                    o.ablation().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                            .put("lambda", o.effectiveLambda())
                            .put("version_0", registry.metrics(0))
                            .put("cycles", cycles)
                            .seconds((System.nanoTime() - start) / 1e9)
                            .build();
            w.writeMetrics(m);
            return m;
        }

        @Override
        public void close() {
            behaviour.unpersist();
            states.unpersist();
        }
    }

    /**
     * Writes rows sorted by key into one Parquet file with a fixed name, so that the same rows give
     * the same bytes (the registry checksums them).
     */
    static Path writeSorted(Dataset<Row> novel, Path staged) {
        Path tmp = staged.resolve(".novel-tmp");
        // Cached: the sort samples its input first, which would otherwise run the models twice.
        Dataset<Row> cached = novel.persist(StorageLevel.MEMORY_AND_DISK());
        cached.orderBy("csid", "short_hash").coalesce(1).write().parquet(tmp.toUri().toString());
        cached.unpersist();
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> parts =
                    s.filter(
                                    p ->
                                            p.getFileName().toString().startsWith("part-")
                                                    && p.getFileName()
                                                            .toString()
                                                            .endsWith(".parquet"))
                            .toList();
            if (parts.size() != 1) {
                throw new IllegalStateException(
                        "expected one Parquet part under " + tmp + ", found " + parts);
            }
            Path target = staged.resolve(NOVEL_FILE);
            Files.move(parts.get(0), target);
            deleteTree(tmp);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kept categories under " + staged, e);
        }
    }

    static String line(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!e.getKey().equals("cycle")) {
                sb.append(sb.length() == 0 ? "" : " ")
                        .append(e.getKey())
                        .append('=')
                        .append(e.getValue());
            }
        }
        return sb.toString();
    }

    static double seconds(long from, long to) {
        return PcoTraining.round((to - from) / 1e9, 2);
    }

    static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }

    static long[] popularity(Warehouse w) {
        List<Row> rows =
                w.read("train_categories", SplitJob.NAME)
                        .select("category_id", "click_volume")
                        .collectAsList();
        int max = rows.stream().mapToInt(r -> r.getInt(0)).max().orElse(-1);
        long[] out = new long[max + 1];
        for (Row r : rows) {
            out[r.getInt(0)] = r.getLong(1);
        }
        return out;
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().startsWith(".")) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p :
                    (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
