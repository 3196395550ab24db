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
 * ({@code compare.seeds} runs, seeds {@code seed, seed + 1, ...}): {@code CoEA} and {@code CoEA 0
 * cycles} (registry version 0 of the same runs) and each {@code compare.ablations} variant.
 * Popularity, SASRec (the shared CSA encoder) and Random (3 seeds) come from the first run's
 * evaluation. The report goes to {@code <warehouse>/report/}, its cycle chart showing the first
 * seed's CoEA run beside the other variants' (the paper's Figure 4 with and without KL).
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
        return List.of(SEEDS, ABLATIONS);
    }

    /** Every option: the whole pipeline's and the command's own. */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(RunJob.options());
        all.add(SEEDS);
        all.add(ABLATIONS);
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
        for (Stage stage : Stages.pipeline(false)) {
            out.printf(Locale.ROOT, "== compare: %s ==%n", stage.name());
            stage.run(spark, conf);
            if (stage.name().equals(PcoDatasetsJob.NAME)) {
                break;
            }
        }
        PcoOptions pco = PcoOptions.from(conf);
        long seed = conf.get(CommonOptions.SEED);
        List<Ablation> variants = new ArrayList<>();
        variants.add(Ablation.NONE);
        variants.addAll(ablations);
        Map<Ablation, List<Map<String, Map<String, Double>>>> results = new LinkedHashMap<>();
        Map<Ablation, Path> firstRun = new LinkedHashMap<>();
        List<Long> seedList = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            seedList.add(seed + s);
        }
        for (Ablation a : variants) {
            for (long runSeed : seedList) {
                String name = a.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-s" + runSeed;
                out.printf(Locale.ROOT, "== compare: run %s ==%n", name);
                Path dir = local.resolve("runs").resolve(name);
                copyShared(local, dir);
                Warehouse w = new Warehouse(spark, dir.toString());
                PcoOptions o = pco.withSeed(runSeed).with(a, Optional.empty(), pco.guardDrop());
                StoreOptions store = new StoreOptions(StoreSettings.rocksDb(dir.resolve("store")));
                new NoveltyTrainJob().run(spark, w, o);
                new RelevanceTrainJob().run(spark, w, o);
                new GenerateJob().run(spark, w, o);
                new ScoreJob().run(spark, w, o);
                new StoreJob().run(spark, w, store);
                new PcoCycleJob().run(spark, w, o, store);
                new EvaluateJob().run(spark, w, runSeed);
                results.computeIfAbsent(a, k -> new ArrayList<>()).add(systems(dir));
                firstRun.putIfAbsent(a, dir);
            }
        }

        EvaluateJob.Report report = new EvaluateJob.Report(seed);
        List<Map<String, Double>> coea = pick(results.get(Ablation.NONE), EvaluateJob.COEA);
        report.add(EvaluateJob.COEA, seedList, coea);
        for (Ablation a : ablations) {
            report.add(NAMES.get(a), seedList, pick(results.get(a), EvaluateJob.COEA));
        }
        List<Map<String, Double>> v0 = pick(results.get(Ablation.NONE), EvaluateJob.COEA_0);
        if (!v0.isEmpty()) {
            report.add(EvaluateJob.COEA_0, seedList, v0);
        }
        Map<String, Map<String, Double>> first = results.get(Ablation.NONE).get(0);
        Map<String, Object> firstSeeds = seedsOf(firstRun.get(Ablation.NONE));
        for (String baseline :
                List.of(EvaluateJob.POPULARITY, EvaluateJob.SASREC, EvaluateJob.RANDOM)) {
            if (!first.containsKey(baseline)) {
                continue;
            }
            if (baseline.equals(EvaluateJob.RANDOM)) {
                report.addSummary(
                        baseline,
                        longs(firstSeeds.get(baseline)),
                        first.get(baseline),
                        spreadOf(firstRun.get(Ablation.NONE), baseline));
            } else {
                report.add(baseline, List.of(seed), List.of(first.get(baseline)));
            }
        }
        List<ReportPage.CycleSeries> series = new ArrayList<>();
        for (Path dir : firstRun.values()) {
            EvaluateJob.cycleSeries(new Warehouse(spark, dir.toString())).ifPresent(series::add);
        }
        long users = ((Number) seedsOf(firstRun.get(Ablation.NONE)).get("users")).longValue();
        report.write(base, users, series, EvaluateJob.groupSimilarity(base));
        out.print(report.markdown(users));
        return report.systems();
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
