package org.coea.flink.embedded;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.coea.common.config.CommandLine;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.config.OptionsHelp;
import org.coea.common.ingest.MovieLensFormat;
import org.coea.common.ingest.MovieLensParsers;
import org.coea.common.ingest.Parsed;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.ClickRecord;
import org.coea.common.model.GroupCsid;
import org.coea.common.replay.ClickReplay;
import org.coea.common.split.PerUserSplit;
import org.coea.flink.StreamOptions;
import org.coea.flink.clicks.ClickJson;
import org.coea.flink.exposure.ExposureNoveltyJob;
import org.coea.flink.items.ItemCategories;
import org.coea.flink.lookup.NoveltyLookupJob;
import org.coea.flink.shortterm.ShortTermInterestJob;
import org.coea.flink.shortterm.ShortTermUpdate;
import org.coea.flink.testutils.EmbeddedKafka;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;

/**
 * {@code coea stream}: the streaming side embedded in one JVM: an in-process Kafka broker, a Flink
 * MiniCluster running {@code short-term-interest}, {@code novelty-lookup} and {@code
 * exposure-novelty} (each replayed click also counts as an exposure), the embedded RocksDB store,
 * and a replayer that sends the MovieLens test-window clicks at a fixed rate, while the set changes
 * of a few users are printed. Lives in the test sources: the broker is a test dependency and stays
 * out of the shaded jar.
 */
public final class EmbeddedStream {
    static final ConfigOption<String> MOVIELENS =
            ConfigOptions.key("stream.movielens")
                    .pathType()
                    .defaultValue("../shared/data/movielens-1m-pos")
                    .withDescription(
                            "GroupLens MovieLens directory whose test window is replayed.");
    static final ConfigOption<Double> RATE =
            ConfigOptions.key("stream.rate")
                    .doubleType()
                    .defaultValue(500.0)
                    .withDescription("Replay rate in clicks per second (0: as fast as possible).");
    static final ConfigOption<Integer> MAX_CLICKS =
            ConfigOptions.key("stream.max-clicks")
                    .intType()
                    .defaultValue(5_000)
                    .withDescription(
                            "Clicks to replay from the start of the test window (0: all).");
    static final ConfigOption<String> WATCH =
            ConfigOptions.key("stream.watch")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Comma-separated user ids whose set changes are printed; empty: the 3 most active users of the replayed clicks.");
    static final ConfigOption<String> WORK_DIR =
            ConfigOptions.key("stream.work-dir")
                    .pathType()
                    .defaultValue("flink-jobs/target/stream")
                    .withDescription(
                            "Folder of the broker logs and the RocksDB store (emptied first).");
    static final ConfigOption<String> STORE_PATH =
            ConfigOptions.key("stream.store-path")
                    .pathType()
                    .defaultValue("")
                    .withDescription(
                            "An existing RocksDB store to serve from and write to (e.g. <warehouse>/store/rocksdb after `coea run`, so that novelty answers are not empty); empty: a fresh store in the work dir with default CSID 000-000-000.");
    static final ConfigOption<Integer> SHORT_LENGTH =
            ConfigOptions.key("sequences.short-length")
                    .intType()
                    .defaultValue(10)
                    .withDescription("n, the short-term window in clicks.");
    static final ConfigOption<Long> CHECKPOINT_MS =
            ConfigOptions.key("checkpoint.interval-ms")
                    .longType()
                    .defaultValue(1_000L)
                    .withDescription(
                            "Checkpoint interval in ms (output becomes visible to read_committed readers at each).");

    static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    MOVIELENS,
                    RATE,
                    MAX_CLICKS,
                    WATCH,
                    WORK_DIR,
                    STORE_PATH,
                    SHORT_LENGTH,
                    CHECKPOINT_MS);

    private EmbeddedStream() {}

    /** Runs the embedded stream until the replay is done and its updates are printed. */
    public static void main(String[] args) throws Exception {
        CommandLine line;
        Configuration conf;
        try {
            line = CommandLine.parse(args, OPTIONS);
            if (line.help()) {
                System.out.print(
                        "usage: coea stream [--key value ...]\n"
                                + "Replays the MovieLens test window through Kafka into the streaming jobs on a Flink MiniCluster, embedded.\n"
                                + "options:\n"
                                + OptionsHelp.text(OPTIONS));
                return;
            }
            conf = line.resolve(OPTIONS);
        } catch (IllegalArgumentException e) {
            System.err.println("coea stream: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(conf, System.out);
        System.exit(0);
    }

    static void run(Configuration conf, PrintStream out) throws Exception {
        Path ml = fromRoot(conf, MOVIELENS);
        if (!Files.exists(ml.resolve("ratings.dat")) && !Files.exists(ml.resolve("u.data"))) {
            throw new IllegalArgumentException(
                    "no MovieLens ratings under " + ml + " (set --" + MOVIELENS.key() + ")");
        }
        Path work = fromRoot(conf, WORK_DIR);
        deleteRecursively(work);
        Files.createDirectories(work);

        MovieLensFormat format =
                MovieLensFormat.detect(ml.toString(), f -> Files.exists(ml.resolve(f)));
        List<BehaviorEvent> clicks = new ArrayList<>();
        for (String l :
                Files.readAllLines(ml.resolve(format.ratingsFile()), StandardCharsets.ISO_8859_1)) {
            Parsed<BehaviorEvent> p = MovieLensParsers.rating(format, l);
            if (p.isOk()) {
                clicks.add(p.value());
            }
        }
        List<BehaviorEvent> window = ClickReplay.testWindow(clicks, new PerUserSplit(0.2, 0.1));
        int max = conf.get(MAX_CLICKS);
        if (max > 0 && window.size() > max) {
            window = window.subList(0, max);
        }
        ItemCategories items = ItemCategories.loadMovieLens(ml);
        Map<Integer, String> names = items.names();
        Set<Long> watch = watched(conf.get(WATCH), window);
        out.printf(
                Locale.ROOT,
                "coea stream: %,d test-window clicks of %s at %s clicks/s; watching users %s%n",
                window.size(),
                ml,
                conf.get(RATE) > 0
                        ? String.format(Locale.ROOT, "%.0f", conf.get(RATE))
                        : "full speed",
                watch);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            kafka.createTopics(
                    2,
                    "clicks",
                    "short-term-interests",
                    "dead-letter",
                    "novel-categories",
                    "exposures",
                    "exposure-novelty");
            Path storePath =
                    conf.get(STORE_PATH).isBlank()
                            ? work.resolve("store")
                            : Path.of(conf.get(STORE_PATH)).toAbsolutePath();
            StoreSettings store = StoreSettings.rocksDb(storePath);
            try (OpenedStores stores = OpenedStores.open(store)) {
                if (stores.userStore().defaultCsid().isEmpty()) {
                    stores.userStore().putDefaultCsid(GroupCsid.of(0, 0, 0));
                }
            }
            MiniClusterWithClientResource flink =
                    new MiniClusterWithClientResource(
                            new MiniClusterResourceConfiguration.Builder()
                                    .setNumberTaskManagers(1)
                                    .setNumberSlotsPerTaskManager(6) // three jobs, parallelism 2
                                    .build());
            flink.before();
            try {
                TestStreamEnvironment.setAsContext(flink.getMiniCluster(), 2);
                Map<String, String> common = new HashMap<>();
                common.put(StreamOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
                common.put(
                        StreamOptions.CHECKPOINT_INTERVAL_MS.key(),
                        conf.get(CHECKPOINT_MS).toString());
                common.put(StreamOptions.PARALLELISM.key(), "2");
                common.put("store.path", storePath.toString());

                Map<String, String> st = new HashMap<>(common);
                st.put(ShortTermInterestJob.ITEMS_MOVIELENS.key(), ml.toString());
                st.put(ShortTermInterestJob.SHORT_LENGTH.key(), conf.get(SHORT_LENGTH).toString());
                ShortTermInterestJob.Settings settings =
                        ShortTermInterestJob.Settings.from(
                                Configuration.resolve(
                                        ShortTermInterestJob.OPTIONS, st, Optional.empty()));
                StreamExecutionEnvironment env1 = settings.stream().environment();
                ShortTermInterestJob.wire(env1, settings, UnaryOperator.identity());
                JobClient shortTerm = env1.executeAsync(ShortTermInterestJob.NAME);

                StreamExecutionEnvironment env2 =
                        StreamOptions.from(
                                        Configuration.resolve(
                                                NoveltyLookupJob.OPTIONS, common, Optional.empty()))
                                .environment();
                NoveltyLookupJob.wire(
                        env2,
                        Configuration.resolve(NoveltyLookupJob.OPTIONS, common, Optional.empty()));
                JobClient lookup = env2.executeAsync(NoveltyLookupJob.NAME);

                // MovieLens has no exposure log: each replayed click counts as an exposure
                Map<String, String> exposureOptions = new HashMap<>(common);
                exposureOptions.remove("store.path");
                StreamExecutionEnvironment env3 =
                        StreamOptions.from(
                                        Configuration.resolve(
                                                ExposureNoveltyJob.OPTIONS,
                                                exposureOptions,
                                                Optional.empty()))
                                .environment();
                ExposureNoveltyJob.wire(
                        env3,
                        Configuration.resolve(
                                ExposureNoveltyJob.OPTIONS, exposureOptions, Optional.empty()));
                JobClient exposure = env3.executeAsync(ExposureNoveltyJob.NAME);

                awaitRunning(shortTerm);
                awaitRunning(lookup);
                awaitRunning(exposure);
                AtomicBoolean done = new AtomicBoolean();
                Thread printer = new Thread(() -> print(kafka, watch, names, done, out));
                printer.start();
                long start = System.nanoTime();
                try (KafkaProducer<String, String> producer = kafka.producer()) {
                    for (int i = 0; i < window.size(); i++) {
                        long due = start + ClickReplay.dueNanos(i, conf.get(RATE));
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        BehaviorEvent e = window.get(i);
                        String json =
                                ClickJson.render(
                                        new ClickRecord(
                                                e.userId(), e.itemId(), e.epochSeconds(), null));
                        producer.send(
                                new ProducerRecord<>("clicks", Long.toString(e.userId()), json));
                        producer.send(
                                new ProducerRecord<>("exposures", Long.toString(e.itemId()), json));
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                // until the lookup has answered every update (both jobs commit at checkpoints)
                long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long updateCount = -1;
                long answerCount;
                do {
                    Thread.sleep(conf.get(CHECKPOINT_MS) + 500);
                    long previous = updateCount;
                    updateCount = kafka.readCommitted("short-term-interests").size();
                    answerCount = kafka.readCommitted("novel-categories").size();
                    if (answerCount >= updateCount && updateCount == previous) {
                        break;
                    }
                } while (System.nanoTime() < settle);
                done.set(true);
                printer.join();
                for (JobClient job : List.of(shortTerm, lookup, exposure)) {
                    if (job.getJobStatus().get().isGloballyTerminalState()) {
                        job.getJobExecutionResult().get(); // throws the job's failure
                    }
                    job.cancel().get();
                    while (!job.getJobStatus().get().isGloballyTerminalState()) {
                        Thread.sleep(100); // the store is released when the tasks are gone
                    }
                }
                long deadLetters = kafka.readCommitted("dead-letter").size();
                out.printf(
                        Locale.ROOT,
                        "coea stream: replayed %,d clicks in %.1f s; %,d short-term updates, %,d novelty answers, %,d dead letters%n",
                        window.size(),
                        seconds,
                        updateCount,
                        answerCount,
                        deadLetters);
                try (OpenedStores stores = OpenedStores.open(store)) {
                    for (long u : watch) {
                        out.printf(
                                Locale.ROOT,
                                "coea stream: user store, user %d: %s%n",
                                u,
                                stores.userStore()
                                        .get(Long.toString(u))
                                        .map(s -> s.csid() + " " + render(s.shortTermSet(), names))
                                        .orElse("(none)"));
                    }
                }
            } finally {
                TestStreamEnvironment.unsetAsContext();
                flink.after();
            }
        }
    }

    /** Waits until every task of the job runs, so that the replay is not ahead of the jobs. */
    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job.getJobID() + " did not start in 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static void print(
            EmbeddedKafka kafka,
            Set<Long> watch,
            Map<Integer, String> names,
            AtomicBoolean done,
            PrintStream out) {
        try (KafkaConsumer<String, String> c = kafka.committedConsumer()) {
            c.subscribe(List.of("short-term-interests", "novel-categories", "exposure-novelty"));
            while (!done.get()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals("short-term-interests")) {
                        ShortTermUpdate u = ShortTermUpdate.parse(r.value());
                        if (watch.contains(u.userId())) {
                            out.printf(
                                    Locale.ROOT,
                                    "user %d at %s: set %s (hash %s)%n",
                                    u.userId(),
                                    java.time.Instant.ofEpochSecond(u.epochSeconds()),
                                    render(Arrays.stream(u.set()).boxed().toList(), names),
                                    u.hash());
                        }
                    } else if (r.topic().equals("exposure-novelty")) {
                        out.println("7D-NIEP " + r.value());
                    } else {
                        if (watch.contains(Long.parseLong(r.key()))) {
                            out.println("  novelty answer: " + r.value());
                        }
                    }
                }
            }
        }
    }

    private static String render(java.util.Collection<Integer> ids, Map<Integer, String> names) {
        return ids.stream()
                .map(i -> names.getOrDefault(i, "#" + i))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static Set<Long> watched(String text, List<BehaviorEvent> window) {
        Set<Long> out = new LinkedHashSet<>();
        if (!text.isBlank()) {
            for (String s : text.split(",")) {
                out.add(Long.parseLong(s.strip()));
            }
            return out;
        }
        Map<Long, Long> counts =
                window.stream()
                        .collect(
                                Collectors.groupingBy(
                                        BehaviorEvent::userId, Collectors.counting()));
        counts.entrySet().stream()
                .sorted(
                        Map.Entry.<Long, Long>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(3)
                .forEach(e -> out.add(e.getKey()));
        return out;
    }

    /**
     * The option's path; a default resolves against the project root ({@code -Dcoea.root}, set by
     * bin/coea), a value given on the command line against the working directory.
     */
    private static Path fromRoot(Configuration conf, ConfigOption<String> option) {
        Path p = Path.of(conf.get(option));
        if (!conf.isSet(option) && !p.isAbsolute()) {
            p = Path.of(System.getProperty("coea.root", ".")).resolve(p);
        }
        return p.toAbsolutePath().normalize();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
