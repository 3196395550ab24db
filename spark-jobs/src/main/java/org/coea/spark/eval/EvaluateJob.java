package org.coea.spark.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.eval.CategoryMetrics;
import org.coea.common.eval.MetricsAccumulator;
import org.coea.common.metrics.StageMetrics;
import org.coea.model.csa.CsaEncoder;
import org.coea.spark.CommonOptions;
import org.coea.spark.Stage;
import org.coea.spark.csa.CsaJob;
import org.coea.spark.csa.CsaVocabulary;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.pco.PcoCycleJob;
import org.coea.spark.pco.ScoreJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.store.StoreJob;
import org.coea.spark.warehouse.ModelFiles;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code evaluate} stage: scores CoEA's stored novel categories under the one offline protocol
 * (docs/evaluation.md) beside the baselines that need no training, and writes {@code
 * <warehouse>/report/metrics.json} and {@code report/metrics.md}.
 *
 * <p>Test users are the users with test-window clicks, a {@code sequences} row and a group. Per
 * user: P = categories clicked in the test window, H = categories of the training clicks, S = the
 * short-term set of {@code sequences}, LT = the long-tail categories of {@code train_categories}.
 * Systems:
 *
 * <ul>
 *   <li>{@code CoEA}: the user's key (CSID, short-term hash) in {@code novel_categories}, ranked by
 *       relevance score, completed by {@link CategoryMetrics#complete};
 *   <li>{@code CoEA 0 cycles}: the same from registry version 0 (before any PCO cycle), when the
 *       registry has it;
 *   <li>{@code Popularity}: the categories by training click volume;
 *   <li>{@code Random}: categories outside S in a seeded random order, over 3 seeds (mean and
 *       spread).
 * </ul>
 *
 * <p>Metrics are accumulated per partition ({@link MetricsAccumulator}) and merged.
 */
public final class EvaluateJob implements Stage {
    /** The stage name. */
    public static final String NAME = "evaluate";

    /** The systems, as the report names them. */
    public static final String COEA = "CoEA";

    public static final String COEA_0 = "CoEA 0 cycles";
    public static final String POPULARITY = "Popularity";
    public static final String RANDOM = "Random";
    public static final String SASREC = "SASRec";

    /** The seeds of the Random baseline, offsets from the run's seed. */
    static final int RANDOM_SEEDS = 3;

    private static final int K_MAX = 10;

    /** Groups in the similarity heatmap: the largest ones. */
    static final int HEATMAP_GROUPS = 20;

    /** Other runs whose per-cycle figures go into the cycle chart (e.g. a no-kl ablation). */
    public static final ConfigOption<String> CYCLE_RUNS =
            ConfigOptions.key("evaluate.cycle-runs")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Comma-separated warehouse roots of other runs (e.g. one with --pco.ablation no-kl) whose per-cycle validation figures the report's cycle chart shows beside this run's.");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "scores CoEA's novel categories (and CoEA 0 cycles, Popularity, SASRec, Random) on the test window: C-H, C-N, NCP, CLTP, S-H @1/5/10 and coverage into report/ (metrics.json, metrics.md, index.html)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(CYCLE_RUNS);
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        List<String> others = new ArrayList<>();
        for (String r : conf.optional(CYCLE_RUNS).orElse("").split(",")) {
            if (!r.isBlank()) {
                others.add(r.strip());
            }
        }
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                conf.get(CommonOptions.SEED),
                others);
    }

    /** Runs the stage on one warehouse. */
    public StageMetrics run(SparkSession spark, Warehouse w, long seed) {
        return run(spark, w, seed, List.of());
    }

    /** Runs the stage; the cycle chart also shows the per-cycle figures of the other warehouses. */
    public StageMetrics run(SparkSession spark, Warehouse w, long seed, List<String> cycleRuns) {
        long start = System.nanoTime();
        Dataset<Row> users = testUsers(w);
        users = withList(users, w.read(StoreJob.NOVEL_CATEGORIES, ScoreJob.NAME), "coea");
        String v0 = registryVersion0(spark, w);
        boolean hasV0 = v0 != null;
        if (hasV0) {
            users = withList(users, spark.read().parquet(v0), "coea0");
        }

        Catalogue cat = catalogue(w);
        List<Integer> byPopularity = cat.byPopularity();
        Set<Integer> longTail = cat.longTail();
        int catalogue = cat.size();
        NextItemCategories sasrec = nextItemModel(spark, w, catalogue);
        if (sasrec != null) {
            users =
                    users.join(
                            w.read("user_vectors", CsaJob.NAME).select("user_id", "h"),
                            seq("user_id"),
                            "left");
        }
        Broadcast<Context> ctx =
                spark.sparkContext()
                        .broadcast(
                                new Context(byPopularity, longTail, catalogue, seed, hasV0, sasrec),
                                scala.reflect.ClassTag$.MODULE$.apply(Context.class));
        JavaRDD<Row> rows =
                users.select(
                                col("user_id"),
                                col("clicked"),
                                col("history"),
                                col("short_set"),
                                col("coea"),
                                hasV0 ? col("coea0") : col("coea").as("coea0"),
                                sasrec != null ? col("h") : lit(null).as("h"))
                        .toJavaRDD();
        Map<String, MetricsAccumulator> acc =
                rows.mapPartitions(it -> List.of(accumulate(it, ctx.value())).iterator())
                        .reduce(EvaluateJob::merge);
        ctx.destroy();

        Report report = new Report(seed);
        long n = acc.get(COEA).users();
        report.add(COEA, List.of(seed), List.of(acc.get(COEA).means()));
        if (hasV0) {
            report.add(COEA_0, List.of(seed), List.of(acc.get(COEA_0).means()));
        }
        report.add(POPULARITY, List.of(seed), List.of(acc.get(POPULARITY).means()));
        if (sasrec != null) {
            report.add(SASREC, List.of(seed), List.of(acc.get(SASREC).means()));
        }
        List<Long> seeds = new ArrayList<>();
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int s = 0; s < RANDOM_SEEDS; s++) {
            seeds.add(seed + s);
            runs.add(acc.get(RANDOM + "#" + s).means());
        }
        report.add(RANDOM, seeds, runs);
        List<ReportPage.CycleSeries> series = new ArrayList<>();
        cycleSeries(w).ifPresent(series::add);
        for (String other : cycleRuns) {
            series.add(
                    cycleSeries(new Warehouse(spark, other))
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    CYCLE_RUNS.key()
                                                            + ": "
                                                            + other
                                                            + " has no _metrics/pco-cycle.json")));
        }
        report.write(w, n, series, groupSimilarity(w));

        Map<String, Double> coea = acc.get(COEA).means();
        StageMetrics.Builder b = StageMetrics.builder(NAME).rowsIn(n).rowsOut(report.size());
        for (String m : List.of("C-H@1", "C-N@5", "NCP@5", "CLTP@5", "S-H@5", "Coverage@5")) {
            b.put(m, Report.round(coea.get(m)));
        }
        b.put("users", n).put("systems", (long) report.size());
        StageMetrics m = b.seconds((System.nanoTime() - start) / 1e9).build();
        w.writeMetrics(m);
        System.out.print(report.markdown(n));
        return m;
    }

    /** The per-cycle validation figures of a warehouse's pco-cycle run, if it ran. */
    @SuppressWarnings("unchecked")
    static java.util.Optional<ReportPage.CycleSeries> cycleSeries(Warehouse w) {
        return w.readMetrics(PcoCycleJob.NAME)
                .filter(m -> m.get("cycles") instanceof List)
                .map(
                        m -> {
                            List<Map<String, Object>> rows = new ArrayList<>();
                            if (m.get("version_0") instanceof Map<?, ?> v0) {
                                rows.add((Map<String, Object>) v0);
                            }
                            rows.addAll((List<Map<String, Object>>) m.get("cycles"));
                            int[] cycle = new int[rows.size()];
                            double[] novelty = new double[rows.size()];
                            double[] hits = new double[rows.size()];
                            for (int i = 0; i < rows.size(); i++) {
                                Map<String, Object> r = rows.get(i);
                                cycle[i] = ((Number) r.getOrDefault("cycle", i)).intValue();
                                novelty[i] = number(r.get("valid_novelty_at_5"));
                                hits[i] = number(r.get("valid_hit_at_5"));
                            }
                            String label =
                                    String.format(
                                            Locale.ROOT,
                                            "%s (lambda %s)",
                                            "none".equals(m.get("ablation"))
                                                    ? "CoEA"
                                                    : "CoEA " + m.get("ablation"),
                                            m.get("lambda"));
                            return new ReportPage.CycleSeries(label, cycle, novelty, hits);
                        });
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * Mean cosine similarity of h_u between the users of the largest groups: with S_g the sum of a
     * group's unit vectors and n_g its size, S_a . S_b / (n_a n_b) across groups and (|S_g|^2 -
     * n_g) / (n_g (n_g - 1)) within one (self-pairs left out). Null without user vectors.
     */
    static ReportPage.GroupSimilarity groupSimilarity(Warehouse w) {
        if (!w.hasTable("user_vectors") || !w.hasTable("user_groups")) {
            return null;
        }
        List<Row> sums =
                w.read("user_vectors", "csa")
                        .join(
                                w.read("user_groups", GroupsJob.NAME).select("user_id", "csid"),
                                "user_id")
                        .select("csid", "h")
                        .toJavaRDD()
                        .mapToPair(
                                r -> {
                                    List<Float> h = r.getList(1);
                                    double[] v = new double[h.size()];
                                    double norm = 0;
                                    for (int i = 0; i < v.length; i++) {
                                        v[i] = h.get(i);
                                        norm += v[i] * v[i];
                                    }
                                    norm = Math.sqrt(norm);
                                    for (int i = 0; i < v.length; i++) {
                                        v[i] = norm == 0 ? 0 : v[i] / norm;
                                    }
                                    return new scala.Tuple2<>(
                                            r.getString(0), new scala.Tuple2<>(v, 1L));
                                })
                        .reduceByKey(
                                (a, b) -> {
                                    double[] s = a._1().clone();
                                    for (int i = 0; i < s.length; i++) {
                                        s[i] += b._1()[i];
                                    }
                                    return new scala.Tuple2<>(s, a._2() + b._2());
                                })
                        .map(
                                t ->
                                        org.apache.spark.sql.RowFactory.create(
                                                t._1(), t._2()._1(), t._2()._2()))
                        .collect();
        List<Row> largest = new ArrayList<>(sums);
        largest.sort(
                java.util.Comparator.comparingLong((Row r) -> -r.getLong(2))
                        .thenComparing(r -> r.getString(0)));
        largest = new ArrayList<>(largest.subList(0, Math.min(HEATMAP_GROUPS, largest.size())));
        largest.sort(java.util.Comparator.comparing(r -> r.getString(0)));
        int n = largest.size();
        double[][] sim = new double[n][n];
        List<String> labels = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            labels.add(largest.get(a).getString(0));
            double[] sa = (double[]) largest.get(a).get(1);
            long na = largest.get(a).getLong(2);
            for (int b = 0; b < n; b++) {
                double[] sb = (double[]) largest.get(b).get(1);
                long nb = largest.get(b).getLong(2);
                double dot = 0;
                for (int i = 0; i < sa.length; i++) {
                    dot += sa[i] * sb[i];
                }
                sim[a][b] =
                        a != b
                                ? dot / (na * (double) nb)
                                : na < 2 ? 1.0 : (dot - na) / (na * (double) (na - 1));
            }
        }
        return new ReportPage.GroupSimilarity(labels, sim);
    }

    /**
     * The test users: users with test-window clicks, a {@code sequences} row and a group, with
     * user_id, clicked (P), short_set (S), short_hash, csid and history (H, null when none).
     */
    static Dataset<Row> testUsers(Warehouse w) {
        Dataset<Row> items = w.read("items", IngestJob.NAME).select("item_id", "categories");
        Dataset<Row> clicked = categoriesPerUser(w.read("test", SplitJob.NAME), items, "clicked");
        Dataset<Row> history = categoriesPerUser(w.read("train", SplitJob.NAME), items, "history");
        return clicked.join(
                        w.read("sequences", SequencesJob.NAME)
                                .select("user_id", "short_set", "short_hash"),
                        "user_id")
                .join(w.read("user_groups", GroupsJob.NAME).select("user_id", "csid"), "user_id")
                .join(history, seq("user_id"), "left");
    }

    /**
     * The categories of the training window: ids by click volume (ties by id), the long-tail set
     * and the catalogue size (largest id + 1).
     */
    record Catalogue(List<Integer> byPopularity, Set<Integer> longTail, int size)
            implements java.io.Serializable {}

    static Catalogue catalogue(Warehouse w) {
        List<Row> cats =
                w.read("train_categories", SplitJob.NAME)
                        .select("category_id", "click_volume", "long_tail")
                        .orderBy(col("click_volume").desc(), col("category_id"))
                        .collectAsList();
        int size = 0;
        List<Integer> byPopularity = new ArrayList<>();
        Set<Integer> longTail = new HashSet<>();
        for (Row r : cats) {
            byPopularity.add(r.getInt(0));
            size = Math.max(size, r.getInt(0) + 1);
            if (r.getBoolean(2)) {
                longTail.add(r.getInt(0));
            }
        }
        if (byPopularity.isEmpty()) {
            throw new IllegalStateException("train_categories under " + w.root() + " is empty");
        }
        return new Catalogue(byPopularity, longTail, size);
    }

    /**
     * Scores per-user category lists (a trained baseline's, by system name) on the test users under
     * the same protocol: a list shorter than K, or none, is completed by {@link
     * CategoryMetrics#complete}. Returns each system's means.
     */
    static Map<String, Map<String, Double>> scoreLists(
            SparkSession spark, Warehouse w, Map<String, Map<Long, List<Integer>>> lists) {
        Catalogue cat = catalogue(w);
        Broadcast<ListsContext> ctx =
                spark.sparkContext()
                        .broadcast(
                                new ListsContext(cat, lists),
                                scala.reflect.ClassTag$.MODULE$.apply(ListsContext.class));
        Map<String, MetricsAccumulator> acc =
                testUsers(w)
                        .select(col("user_id"), col("clicked"), col("history"), col("short_set"))
                        .toJavaRDD()
                        .mapPartitions(it -> List.of(accumulateLists(it, ctx.value())).iterator())
                        .reduce(EvaluateJob::merge);
        ctx.destroy();
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        acc.forEach((k, v) -> out.put(k, v.means()));
        return out;
    }

    /** What scoring lists needs besides the rows. */
    record ListsContext(Catalogue catalogue, Map<String, Map<Long, List<Integer>>> lists)
            implements java.io.Serializable {}

    static Map<String, MetricsAccumulator> accumulateLists(
            java.util.Iterator<Row> it, ListsContext c) {
        Catalogue cat = c.catalogue();
        Map<String, MetricsAccumulator> acc = new LinkedHashMap<>();
        c.lists().keySet().forEach(k -> acc.put(k, new MetricsAccumulator(cat.size())));
        while (it.hasNext()) {
            Row r = it.next();
            long user = r.getLong(0);
            Set<Integer> clicked = set(r, 1);
            Set<Integer> history = set(r, 2);
            Set<Integer> shortTerm = set(r, 3);
            for (Map.Entry<String, Map<Long, List<Integer>>> e : c.lists().entrySet()) {
                List<Integer> list = e.getValue().getOrDefault(user, List.of());
                acc.get(e.getKey())
                        .add(
                                CategoryMetrics.complete(
                                        list, cat.byPopularity(), shortTerm, K_MAX),
                                clicked,
                                history,
                                shortTerm,
                                cat.longTail());
            }
        }
        return acc;
    }

    /** user_id, NAME: the distinct categories of the user's clicks in a split table. */
    private static Dataset<Row> categoriesPerUser(
            Dataset<Row> split, Dataset<Row> items, String name) {
        return split.filter(col("event_type").equalTo("click"))
                .join(items, "item_id")
                .select(col("user_id"), explode(col("categories")).as("c"))
                .groupBy("user_id")
                .agg(collect_set(col("c")).as(name));
    }

    /** Joins a novel_categories-shaped table's ranked category ids as column {@code name}. */
    private static Dataset<Row> withList(Dataset<Row> users, Dataset<Row> novel, String name) {
        Dataset<Row> lists =
                novel.select(
                        col("csid"), col("short_hash"), col("categories.category_id").as(name));
        return users.join(lists, seq("csid", "short_hash"), "left");
    }

    private static scala.collection.immutable.Seq<String> seq(String... columns) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toSeq();
    }

    /** The registry's version 0 novel categories (before any cycle), or null. */
    private static String registryVersion0(SparkSession spark, Warehouse w) {
        org.apache.hadoop.fs.Path p =
                new org.apache.hadoop.fs.Path(
                        w.root(), PcoCycleJob.REGISTRY + "/v-0000/" + PcoCycleJob.NOVEL_FILE);
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)
                    ? p.toString()
                    : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot look for " + p, e);
        }
    }

    /** What every partition needs besides its rows. */
    record Context(
            List<Integer> byPopularity,
            Set<Integer> longTail,
            int catalogue,
            long seed,
            boolean hasV0,
            NextItemCategories sasrec)
            implements java.io.Serializable {}

    static Map<String, MetricsAccumulator> accumulate(java.util.Iterator<Row> it, Context c) {
        Map<String, MetricsAccumulator> acc = new LinkedHashMap<>();
        acc.put(COEA, new MetricsAccumulator(c.catalogue()));
        if (c.hasV0()) {
            acc.put(COEA_0, new MetricsAccumulator(c.catalogue()));
        }
        acc.put(POPULARITY, new MetricsAccumulator(c.catalogue()));
        if (c.sasrec() != null) {
            acc.put(SASREC, new MetricsAccumulator(c.catalogue()));
        }
        for (int s = 0; s < RANDOM_SEEDS; s++) {
            acc.put(RANDOM + "#" + s, new MetricsAccumulator(c.catalogue()));
        }
        List<Integer> popular =
                c.byPopularity().subList(0, Math.min(K_MAX, c.byPopularity().size()));
        while (it.hasNext()) {
            Row r = it.next();
            long user = r.getLong(0);
            Set<Integer> clicked = set(r, 1);
            Set<Integer> history = set(r, 2);
            Set<Integer> shortTerm = set(r, 3);
            List<Integer> coea = r.isNullAt(4) ? List.of() : r.getList(4);
            acc.get(COEA)
                    .add(
                            CategoryMetrics.complete(coea, c.byPopularity(), shortTerm, K_MAX),
                            clicked,
                            history,
                            shortTerm,
                            c.longTail());
            if (c.hasV0()) {
                List<Integer> v0 = r.isNullAt(5) ? List.of() : r.getList(5);
                acc.get(COEA_0)
                        .add(
                                CategoryMetrics.complete(v0, c.byPopularity(), shortTerm, K_MAX),
                                clicked,
                                history,
                                shortTerm,
                                c.longTail());
            }
            acc.get(POPULARITY).add(popular, clicked, history, shortTerm, c.longTail());
            if (c.sasrec() != null) {
                List<Integer> next =
                        r.isNullAt(6) ? popular : c.sasrec().top(floats(r.getList(6)), K_MAX);
                acc.get(SASREC).add(next, clicked, history, shortTerm, c.longTail());
            }
            for (int s = 0; s < RANDOM_SEEDS; s++) {
                acc.get(RANDOM + "#" + s)
                        .add(
                                random(c, shortTerm, c.seed() + s, user),
                                clicked,
                                history,
                                shortTerm,
                                c.longTail());
            }
        }
        return acc;
    }

    /** K_MAX categories outside S in a random order seeded by (seed, user). */
    static List<Integer> random(Context c, Set<Integer> shortTerm, long seed, long user) {
        List<Integer> pool = new ArrayList<>();
        for (int cat : c.byPopularity()) {
            if (!shortTerm.contains(cat)) {
                pool.add(cat);
            }
        }
        pool.sort(Integer::compare);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ user);
        for (int i = pool.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Integer t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return pool.subList(0, Math.min(K_MAX, pool.size()));
    }

    private static float[] floats(List<Float> l) {
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }

    /**
     * The SASRec baseline from the warehouse's CSA model ({@code models/csa}: the item embedding
     * and vocabulary) and the items' categories; null when the CSA stage has not run.
     */
    static NextItemCategories nextItemModel(SparkSession spark, Warehouse w, int catalogue) {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(w.modelPath(CsaJob.NAME));
        try {
            if (!w.hasTable("user_vectors")
                    || !dir.getFileSystem(hadoop)
                            .exists(new org.apache.hadoop.fs.Path(dir, "vocabulary.json"))) {
                return null;
            }
            java.nio.file.Path local = ModelFiles.fetch(w.modelPath(CsaJob.NAME), hadoop);
            CsaVocabulary vocab =
                    CsaVocabulary.parse(
                            java.nio.file.Files.readString(local.resolve("vocabulary.json")));
            float[] e;
            int dim;
            try (CsaEncoder encoder = CsaEncoder.load(local)) {
                ai.djl.ndarray.NDArray table = encoder.itemEmbedding();
                dim = (int) table.getShape().get(1);
                e = table.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            }
            return new NextItemCategories(
                    e, dim, TrainedBaselines.itemCategories(w, vocab, e.length / dim), catalogue);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("cannot read the CSA model under " + dir, ex);
        }
    }

    private static Set<Integer> set(Row r, int field) {
        if (r.isNullAt(field)) {
            return Set.of();
        }
        return new HashSet<>(r.<Integer>getList(field));
    }

    private static Map<String, MetricsAccumulator> merge(
            Map<String, MetricsAccumulator> a, Map<String, MetricsAccumulator> b) {
        b.forEach((k, v) -> a.get(k).merge(v));
        return a;
    }

    /** Writes report/metrics.json and report/metrics.md. */
    static final class Report {
        private final Map<String, Map<String, Double>> means = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> spread = new LinkedHashMap<>();
        private final Map<String, List<Long>> seeds = new LinkedHashMap<>();
        private final long seed;

        Report(long seed) {
            this.seed = seed;
        }

        int size() {
            return means.size();
        }

        /** A system's runs: the mean and the (population) standard deviation over them. */
        void add(String system, List<Long> runSeeds, List<Map<String, Double>> runs) {
            Map<String, Double> mean = new LinkedHashMap<>();
            Map<String, Double> sd = new LinkedHashMap<>();
            for (String k : runs.get(0).keySet()) {
                double sum = 0;
                for (Map<String, Double> r : runs) {
                    sum += r.get(k);
                }
                double mu = sum / runs.size();
                double var = 0;
                for (Map<String, Double> r : runs) {
                    var += (r.get(k) - mu) * (r.get(k) - mu);
                }
                mean.put(k, round(mu));
                sd.put(k, round(Math.sqrt(var / runs.size())));
            }
            means.put(system, mean);
            spread.put(system, sd);
            seeds.put(system, runSeeds);
        }

        /** A system whose mean and spread were computed elsewhere (a run's own report). */
        void addSummary(
                String system,
                List<Long> runSeeds,
                Map<String, Double> mean,
                Map<String, Double> sd) {
            means.put(system, new LinkedHashMap<>(mean));
            spread.put(system, new LinkedHashMap<>(sd));
            seeds.put(system, runSeeds);
        }

        /** The means by system. */
        Map<String, Map<String, Double>> systems() {
            return means;
        }

        static double round(double v) {
            return Double.isNaN(v) ? v : Math.round(v * 1e4) / 1e4;
        }

        void write(
                Warehouse w,
                long users,
                List<ReportPage.CycleSeries> cycles,
                ReportPage.GroupSimilarity groups) {
            com.fasterxml.jackson.databind.ObjectMapper json =
                    new com.fasterxml.jackson.databind.ObjectMapper();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("systems", means);
            doc.put("spread", spread);
            doc.put("seeds", seeds);
            doc.put("users", users);
            doc.put("k", MetricsAccumulator.KS);
            doc.put("protocol", "docs/evaluation.md");
            doc.put("seed", seed);
            try {
                w.writeText(
                        "report/metrics.json",
                        json.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            String md = markdown(users);
            w.writeText("report/metrics.md", md);
            w.writeText(
                    "report/index.html",
                    ReportPage.html(means, spread, seeds, users, md, cycles, groups));
        }

        String markdown(long users) {
            StringBuilder sb = new StringBuilder();
            sb.append(
                    String.format(Locale.ROOT, "# Offline evaluation (%d test users)%n%n", users));
            List<String> main = List.of("C-H@1", "C-N@5", "NCP@5", "CLTP@5", "S-H@5", "Coverage@5");
            table(sb, main);
            sb.append(String.format(Locale.ROOT, "%nEvery metric (mean ± spread over seeds):%n%n"));
            table(sb, new ArrayList<>(means.values().iterator().next().keySet()));
            return sb.toString();
        }

        private void table(StringBuilder sb, List<String> metrics) {
            sb.append("| system |");
            metrics.forEach(m -> sb.append(' ').append(m).append(" |"));
            sb.append(System.lineSeparator()).append("|---|");
            metrics.forEach(m -> sb.append("---|"));
            sb.append(System.lineSeparator());
            for (String s : means.keySet()) {
                sb.append("| ").append(s).append(" |");
                for (String m : metrics) {
                    double sd = spread.get(s).get(m);
                    sb.append(
                            seeds.get(s).size() > 1
                                    ? String.format(
                                            Locale.ROOT, " %.4f ± %.4f |", means.get(s).get(m), sd)
                                    : String.format(Locale.ROOT, " %.4f |", means.get(s).get(m)));
                }
                sb.append(System.lineSeparator());
            }
        }
    }
}
