package org.coea.spark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.spark.CommonOptions;
import org.coea.spark.RunJob;
import org.coea.spark.Stage;
import org.coea.spark.Stages;
import org.coea.spark.pco.Ablation;
import org.coea.spark.pco.GenerateJob;
import org.coea.spark.pco.NoveltyTrainJob;
import org.coea.spark.pco.PcoCycleJob;
import org.coea.spark.pco.PcoDatasetsJob;
import org.coea.spark.pco.PcoOptions;
import org.coea.spark.pco.RelevanceTrainJob;
import org.coea.spark.pco.ScoreJob;
import org.coea.spark.store.StoreJob;
import org.coea.spark.store.StoreOptions;
import org.coea.spark.warehouse.Warehouse;
import org.coea.stores.StoreSettings;

/**
 * {@code coea compare}: trains and scores CoEA, its ablations and the baselines under the one
 * protocol (docs/evaluation.md) and writes the side-by-side report.
 *
 * <p>The shared stages (ingest to pco-datasets: the split, sequences, the CSA encoder, the groups,
 * the profiles and the PCO datasets) run once in the warehouse. Each PCO variant then runs in its
 * own copy under {@code <warehouse>/runs/<variant>-s<seed>} (novelty-train, relevance-train,
 * generate, score, store into an embedded RocksDB store, pco-cycle, evaluate), once per seed
 * ({@code compare.seeds} runs, seeds {@code seed, seed + 1, ...}, seed by seed): {@code CoEA} and
 * {@code CoEA 0 cycles} (registry version 0 of the same runs), each {@code compare.ablations}
 * variant and {@code Google-v1} (short-term prompts only, one alignment cycle). GRU4Rec and
 * Two-tower ({@link TrainedBaselines}) train once per seed on the shared tables. Popularity, SASRec
 * (the shared CSA encoder) and Random (3 seeds) come from the first run's evaluation. With {@code
 * compare.reuse}, pieces whose recorded options match are kept, so an interrupted comparison goes
 * on where it stopped. The report goes to {@code <warehouse>/report/}, its cycle chart showing the
 * first seed's CoEA run beside the other cycled variants' (the paper's Figure 4 with and without
 * KL).
 */
public final class CompareCommand {
    /** The command name. */
    public static final String NAME = "compare";

    /** How many seeds every PCO variant runs with. */
    public static final ConfigOption<Integer> SEEDS =
            ConfigOptions.key("compare.seeds")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Runs per PCO variant (CoEA and each ablation), with seeds seed, seed + 1, ...; the report shows their mean and spread.");

    /** The ablations to run beside CoEA. */
    public static final ConfigOption<String> ABLATIONS =
            ConfigOptions.key("compare.ablations")
                    .stringType()
                    .defaultValue("no-long,no-short,no-relevance,no-kl")
                    .withDescription(
                            "Comma-separated pco.ablation values to run beside CoEA (none for CoEA alone).");

    /** The option value naming the Google-v1 baseline. */
    static final String GOOGLE_V1_KEY = "google-v1";

    /** The report name of the Google-v1 baseline. */
    public static final String GOOGLE_V1 = "Google-v1";

    /** The trained baselines compare knows. */
    static final List<String> KNOWN_BASELINES =
            List.of(TrainedBaselines.GRU4REC_KEY, TrainedBaselines.TWO_TOWER_KEY, GOOGLE_V1_KEY);

    /** The trained baselines to run beside CoEA. */
    public static final ConfigOption<String> BASELINES =
            ConfigOptions.key("compare.baselines")
                    .stringType()
                    .defaultValue("gru4rec,two-tower,google-v1")
                    .withDescription(
                            "Comma-separated trained baselines to run beside CoEA, once per seed (none for none): gru4rec, two-tower (baseline.* options), google-v1 (Novelty + Relevance on the short-term sequence only, aligned once: one DPO cycle). Popularity, SASRec and Random always come from the evaluation.");

    /** Whether finished work of an earlier compare in the same warehouse is kept. */
    public static final ConfigOption<Boolean> REUSE =
            ConfigOptions.key("compare.reuse")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Keep the shared tables and every finished run of an earlier compare in this warehouse when they were made with the same options (runs/shared.json, runs/<run>/run.json; an option added to the code since counts as the same at its default); redo the rest.");

    /** The report names of the ablations. */
    static final Map<Ablation, String> NAMES =
            Map.of(
                    Ablation.NO_LONG, "CoEA w/o Long",
                    Ablation.NO_SHORT, "CoEA w/o Short",
                    Ablation.NO_RELEVANCE, "CoEA w/o R-LLM",
                    Ablation.NO_KL, "CoEA w/o KL");

    private CompareCommand() {}

    /** One line for {@code coea --help}. */
    public static String summary() {
        return "trains and scores CoEA, its ablations and the baselines on one split (--seeds runs each) into report/";
    }

    /** The command's own options. */
    public static List<ConfigOption<?>> ownOptions() {
        return List.of(SEEDS, ABLATIONS, BASELINES, REUSE);
    }

    /** The options compare adds to the pipeline's: its own and the trained baselines'. */
    public static List<ConfigOption<?>> addedOptions() {
        List<ConfigOption<?>> all = new ArrayList<>(ownOptions());
        all.addAll(BaselineOptions.options());
        return all;
    }

    /** Every option: the whole pipeline's and the command's own. */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(RunJob.options());
        all.addAll(ownOptions());
        all.addAll(BaselineOptions.options());
        return all;
    }

    /** The ablations an option value names. */
    static List<Ablation> ablations(String value) {
        List<Ablation> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.strip();
            if (p.isEmpty() || p.equals("none")) {
                continue;
            }
            Ablation a;
            try {
                a = Ablation.valueOf(p.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        ABLATIONS.key()
                                + ": unknown ablation '"
                                + p
                                + "'; known: no-long, no-short, no-relevance, no-kl");
            }
            if (a == Ablation.NONE || out.contains(a)) {
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** Runs the comparison; returns the report's systems. */
    public static Map<String, Map<String, Double>> run(
            SparkSession spark, Configuration conf, PrintStream out) {
        int seeds = conf.get(SEEDS);
        if (seeds < 1) {
            throw new IllegalArgumentException(SEEDS.key() + " must be >= 1, got " + seeds);
        }
        List<Ablation> ablations = ablations(conf.get(ABLATIONS));
        String root = conf.get(CommonOptions.WAREHOUSE);
        Path local = localRoot(root);
        Warehouse base = new Warehouse(spark, root);
        boolean reuse = conf.get(REUSE);
        String shared = fingerprint(conf, "shared");
        Path sharedMarker = local.resolve("runs").resolve("shared.json");
        if (reuse && matches(readMarker(sharedMarker), conf, "shared", false)) {
            out.printf(Locale.ROOT, "== compare: shared stages kept (%s) ==%n", sharedMarker);
        } else {
            deleteIfExists(sharedMarker);
            for (Stage stage : Stages.pipeline(false)) {
                out.printf(Locale.ROOT, "== compare: %s ==%n", stage.name());
                stage.run(spark, conf);
                if (stage.name().equals(PcoDatasetsJob.NAME)) {
                    break;
                }
            }
            writeMarker(sharedMarker, shared);
            reuse = false;
        }
        PcoOptions pco = PcoOptions.from(conf);
        long seed = conf.get(CommonOptions.SEED);
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("none", EvaluateJob.COEA, Ablation.NONE, false));
        for (Ablation a : ablations) {
            variants.add(
                    new Variant(
                            a.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                            NAMES.get(a),
                            a,
                            false));
        }
        if (baselines(conf.get(BASELINES)).contains(GOOGLE_V1_KEY)) {
            variants.add(new Variant(GOOGLE_V1_KEY, GOOGLE_V1, Ablation.NO_LONG, true));
        }
        Map<Variant, List<Map<String, Map<String, Double>>>> results = new LinkedHashMap<>();
        Map<Variant, Path> firstRun = new LinkedHashMap<>();
        List<Long> seedList = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            seedList.add(seed + s);
        }
        // Seed by seed, so that an interrupted comparison (kept with compare.reuse) has every
        // variant's first seed before any variant's second.
        for (long runSeed : seedList) {
            for (Variant v : variants) {
                String name = v.dir() + "-s" + runSeed;
                Path dir = local.resolve("runs").resolve(name);
                Path marker = dir.resolve("run.json");
                String print = fingerprint(conf, name);
                if (reuse && matches(readMarker(marker), conf, name, false)) {
                    out.printf(Locale.ROOT, "== compare: run %s kept ==%n", name);
                } else {
                    out.printf(Locale.ROOT, "== compare: run %s ==%n", name);
                    runVariant(spark, local, dir, pco, v, runSeed);
                    writeMarker(marker, print);
                }
                results.computeIfAbsent(v, k -> new ArrayList<>()).add(systems(dir));
                firstRun.putIfAbsent(v, dir);
            }
        }

        Map<String, List<Map<String, Double>>> trained = new LinkedHashMap<>();
        BaselineOptions baselineOptions = BaselineOptions.from(conf);
        TrainedBaselines.Data data = null; // read once, when a baseline trains
        for (String key : baselines(conf.get(BASELINES))) {
            if (key.equals(GOOGLE_V1_KEY)) {
                continue;
            }
            String system =
                    key.equals(TrainedBaselines.GRU4REC_KEY)
                            ? TrainedBaselines.GRU4REC
                            : TrainedBaselines.TWO_TOWER;
            for (long runSeed : seedList) {
                String name = key + "-s" + runSeed;
                Path dir = local.resolve("runs").resolve(name);
                Path marker = dir.resolve("run.json");
                String print = fingerprint(conf, name, true);
                if (reuse && matches(readMarker(marker), conf, name, true)) {
                    out.printf(Locale.ROOT, "== compare: %s kept ==%n", name);
                } else {
                    out.printf(Locale.ROOT, "== compare: %s ==%n", name);
                    deleteIfExists(marker);
                    if (data == null) {
                        data = TrainedBaselines.load(spark, base);
                    }
                    TrainedBaselines.Result r =
                            TrainedBaselines.train(
                                    spark, base, data, key, baselineOptions, runSeed);
                    Map<String, Map<String, Double>> scored =
                            EvaluateJob.scoreLists(spark, base, Map.of(system, r.lists()));
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("systems", scored);
                    doc.put("figures", r.figures());
                    writeMarker(dir.resolve("report").resolve("metrics.json"), json(doc));
                    writeMarker(marker, print);
                }
                trained.computeIfAbsent(system, k -> new ArrayList<>())
                        .add(systems(dir).get(system));
            }
        }

        EvaluateJob.Report report = new EvaluateJob.Report(seed);
        Variant coea = variants.get(0);
        for (Variant v : variants) {
            if (!v.alignOnce()) {
                report.add(v.report(), seedList, pick(results.get(v), EvaluateJob.COEA));
            }
        }
        List<Map<String, Double>> v0 = pick(results.get(coea), EvaluateJob.COEA_0);
        if (!v0.isEmpty()) {
            report.add(EvaluateJob.COEA_0, seedList, v0);
        }
        Map<String, Map<String, Double>> first = results.get(coea).get(0);
        Map<String, Object> firstSeeds = seedsOf(firstRun.get(coea));
        for (String baseline : List.of(EvaluateJob.POPULARITY, EvaluateJob.SASREC)) {
            if (first.containsKey(baseline)) {
                report.add(baseline, List.of(seed), List.of(first.get(baseline)));
            }
        }
        for (Map.Entry<String, List<Map<String, Double>>> e : trained.entrySet()) {
            report.add(e.getKey(), seedList, e.getValue());
        }
        if (first.containsKey(EvaluateJob.RANDOM)) {
            report.addSummary(
                    EvaluateJob.RANDOM,
                    longs(firstSeeds.get(EvaluateJob.RANDOM)),
                    first.get(EvaluateJob.RANDOM),
                    spreadOf(firstRun.get(coea), EvaluateJob.RANDOM));
        }
        for (Variant v : variants) {
            if (v.alignOnce()) {
                report.add(v.report(), seedList, pick(results.get(v), EvaluateJob.COEA));
            }
        }
        List<ReportPage.CycleSeries> series = new ArrayList<>();
        for (Map.Entry<Variant, Path> e : firstRun.entrySet()) {
            if (!e.getKey().alignOnce()) {
                EvaluateJob.cycleSeries(new Warehouse(spark, e.getValue().toString()))
                        .ifPresent(series::add);
            }
        }
        long users = ((Number) seedsOf(firstRun.get(coea)).get("users")).longValue();
        report.write(base, users, series, EvaluateJob.groupSimilarity(base));
        out.print(report.markdown(users));
        return report.systems();
    }

    /**
     * One PCO variant of the comparison: its run directory prefix, its name in the report, its
     * ablation and whether it is aligned once (one cycle) rather than over pco.cycles cycles.
     */
    record Variant(String dir, String report, Ablation ablation, boolean alignOnce) {}

    /** Trains, stores, cycles and evaluates one variant in its own copy of the warehouse. */
    private static void runVariant(
            SparkSession spark, Path local, Path dir, PcoOptions pco, Variant v, long runSeed) {
        copyShared(local, dir);
        Warehouse w = new Warehouse(spark, dir.toString());
        PcoOptions o = pco.withSeed(runSeed).with(v.ablation(), Optional.empty(), pco.guardDrop());
        if (v.alignOnce()) {
            o = o.withCycles(1, pco.sampleRate());
        }
        StoreOptions store = new StoreOptions(StoreSettings.rocksDb(dir.resolve("store")));
        new NoveltyTrainJob().run(spark, w, o);
        new RelevanceTrainJob().run(spark, w, o);
        new GenerateJob().run(spark, w, o);
        new ScoreJob().run(spark, w, o);
        new StoreJob().run(spark, w, store);
        new PcoCycleJob().run(spark, w, o, store);
        new EvaluateJob().run(spark, w, runSeed);
    }

    /** The baselines an option value names. */
    static List<String> baselines(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty() || p.equals("none") || out.contains(p)) {
                continue;
            }
            if (!KNOWN_BASELINES.contains(p)) {
                throw new IllegalArgumentException(
                        BASELINES.key()
                                + ": unknown baseline '"
                                + part.strip()
                                + "'; known: "
                                + String.join(", ", KNOWN_BASELINES));
            }
            out.add(p);
        }
        return out;
    }

    private static List<Map<String, Double>> pick(
            List<Map<String, Map<String, Double>>> runs, String system) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, Map<String, Double>> r : runs) {
            if (r.containsKey(system)) {
                out.add(r.get(system));
            }
        }
        return out;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The systems of a run's report/metrics.json. */
    private static Map<String, Map<String, Double>> systems(Path dir) {
        JsonNode doc = read(dir);
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        doc.get("systems")
                .fields()
                .forEachRemaining(
                        e -> {
                            Map<String, Double> m = new LinkedHashMap<>();
                            e.getValue()
                                    .fields()
                                    .forEachRemaining(
                                            f -> m.put(f.getKey(), f.getValue().asDouble()));
                            out.put(e.getKey(), m);
                        });
        return out;
    }

    private static Map<String, Double> spreadOf(Path dir, String system) {
        Map<String, Double> m = new LinkedHashMap<>();
        read(dir)
                .get("spread")
                .get(system)
                .fields()
                .forEachRemaining(f -> m.put(f.getKey(), f.getValue().asDouble()));
        return m;
    }

    private static Map<String, Object> seedsOf(Path dir) {
        JsonNode doc = read(dir);
        Map<String, Object> m = new LinkedHashMap<>();
        doc.get("seeds").fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
        m.put("users", doc.get("users").asLong());
        return m;
    }

    private static List<Long> longs(Object node) {
        List<Long> out = new ArrayList<>();
        ((JsonNode) node).forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static JsonNode read(Path dir) {
        Path file = dir.resolve("report").resolve("metrics.json");
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * What a piece of the comparison depends on: every option's value but the command's own (and
     * the baseline.* ones, except for a trained baseline), and the piece's name. A kept piece must
     * have been made from the same options; code changes are not seen.
     */
    static String fingerprint(Configuration conf, String piece) {
        return fingerprint(conf, piece, false);
    }

    /** {@link #fingerprint(Configuration, String)}, with the baseline.* options when asked. */
    static String fingerprint(Configuration conf, String piece, boolean baselineOptions) {
        Map<String, String> values = new java.util.TreeMap<>();
        for (ConfigOption<?> option : conf.options()) {
            if (ownOptions().contains(option)
                    || (!baselineOptions && BaselineOptions.options().contains(option))) {
                continue;
            }
            values.put(option.key(), String.valueOf(conf.optional(option).orElse(null)));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("piece", piece);
        doc.put("options", values);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a recorded fingerprint fits the piece made now: the same piece, every option it
     * recorded with the value it has now, and every option it did not know (added to the code
     * since) at its default now. An option it recorded that no longer exists does not fit.
     */
    static boolean matches(
            String recorded, Configuration conf, String piece, boolean baselineOptions) {
        if (recorded == null) {
            return false;
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(recorded);
        } catch (IOException e) {
            return false;
        }
        if (!piece.equals(doc.path("piece").asText())) {
            return false;
        }
        JsonNode was = doc.path("options");
        Map<String, ConfigOption<?>> now = new LinkedHashMap<>();
        for (ConfigOption<?> option : conf.options()) {
            if (ownOptions().contains(option)
                    || (!baselineOptions && BaselineOptions.options().contains(option))) {
                continue;
            }
            now.put(option.key(), option);
        }
        for (Map.Entry<String, ConfigOption<?>> e : now.entrySet()) {
            String value = String.valueOf(conf.optional(e.getValue()).orElse(null));
            if (was.has(e.getKey())) {
                if (!was.get(e.getKey()).asText().equals(value)) {
                    return false;
                }
            } else if (!value.equals(String.valueOf(e.getValue().defaultValue().orElse(null)))) {
                return false;
            }
        }
        for (java.util.Iterator<String> it = was.fieldNames(); it.hasNext(); ) {
            if (!now.containsKey(it.next())) {
                return false;
            }
        }
        return true;
    }

    private static String json(Object doc) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readMarker(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void writeMarker(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static Path localRoot(String root) {
        Path p;
        if (root.contains("://")) {
            URI uri = URI.create(root);
            if (!"file".equals(uri.getScheme())) {
                throw new IllegalArgumentException(
                        "compare copies the warehouse once per run and needs it on a local or"
                                + " mounted file system; "
                                + root
                                + " is not");
            }
            p = Path.of(uri);
        } else {
            p = Path.of(root);
        }
        return p.toAbsolutePath().normalize();
    }

    /** Copies the shared tables and models into a run directory (replacing an earlier copy). */
    private static void copyShared(Path base, Path run) {
        try {
            if (Files.exists(run)) {
                deleteTree(run);
            }
            try (Stream<Path> s = Files.walk(base)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path rel = base.relativize(p);
                    String top = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
                    if (top.equals("runs")
                            || top.equals("report")
                            || top.equals("registry")
                            || top.equals("store")) {
                        continue;
                    }
                    Path t = run.resolve(rel.toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + base + " to " + run, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
