package org.coea.flink.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
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
import org.coea.common.model.GroupCsid;
import org.coea.common.model.Item;
import org.coea.flink.StreamOptions;
import org.coea.flink.items.ItemCategories;
import org.coea.flink.kafka.KafkaIo;
import org.coea.flink.shortterm.ShortTermInterestJob;
import org.coea.flink.shortterm.ShortTermUpdate;
import org.coea.flink.testutils.EmbeddedKafka;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;

/**
 * The streaming benchmark behind {@code bin/coea-bench-stream} (docs/benchmarks.md): events/s of
 * {@code short-term-interest} from Kafka to Kafka (exactly-once) beside a pass-through job on the
 * same topic with the same exactly-once sink, and the end-to-end latency (producer send to a
 * read_committed consumer) of the set updates at a fixed input rate. Everything in one JVM: the
 * in-process broker, a MiniCluster, the producers and consumers.
 */
public final class StreamBenchmark {
    static final ConfigOption<Integer> EVENTS =
            ConfigOptions.key("events")
                    .intType()
                    .defaultValue(300_000)
                    .withDescription("Clicks preloaded for the throughput runs.");
    static final ConfigOption<Integer> USERS =
            ConfigOptions.key("users")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Distinct users of the synthetic clicks.");
    static final ConfigOption<Integer> ROUNDS =
            ConfigOptions.key("rounds")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Throughput rounds (pass-through, then short-term); the last counts.");
    static final ConfigOption<Double> LATENCY_RATE =
            ConfigOptions.key("latency.rate")
                    .doubleType()
                    .defaultValue(2_000.0)
                    .withDescription("Input rate of the latency run, clicks/s.");
    static final ConfigOption<Integer> LATENCY_SECONDS =
            ConfigOptions.key("latency.seconds")
                    .intType()
                    .defaultValue(20)
                    .withDescription("Length of the latency run in seconds.");
    static final ConfigOption<Long> CHECKPOINT_MS =
            ConfigOptions.key("checkpoint.interval-ms")
                    .longType()
                    .defaultValue(1_000L)
                    .withDescription(
                            "Checkpoint interval (the exactly-once sinks commit at each).");

    static final List<ConfigOption<?>> OPTIONS =
            List.of(EVENTS, USERS, ROUNDS, LATENCY_RATE, LATENCY_SECONDS, CHECKPOINT_MS);

    private static final long START = 1_743_552_000L;

    private StreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        CommandLine line = CommandLine.parse(args, OPTIONS);
        if (line.help()) {
            System.out.print(
                    "usage: bin/coea-bench-stream [--key value ...]\noptions:\n"
                            + OptionsHelp.text(OPTIONS));
            return;
        }
        run(line.resolve(OPTIONS));
        System.exit(0);
    }

    static void run(Configuration conf) throws Exception {
        Path dir = Files.createTempDirectory("coea-bench-stream");
        int events = conf.get(EVENTS);
        int users = conf.get(USERS);
        ItemCategories items = items();
        System.out.printf(
                Locale.ROOT,
                "bench-stream: %d cores, %,d clicks of %,d users, parallelism 2, checkpoints every %d ms, exactly-once Kafka sinks%n",
                Runtime.getRuntime().availableProcessors(),
                events,
                users,
                conf.get(CHECKPOINT_MS));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(2, "bench-clicks", "lat-clicks");
            long t0 = System.nanoTime();
            preload(kafka, events, users);
            System.out.printf(
                    Locale.ROOT,
                    "bench-stream: preloaded the clicks topic in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            MiniClusterWithClientResource flink =
                    new MiniClusterWithClientResource(
                            new MiniClusterResourceConfiguration.Builder()
                                    .setNumberTaskManagers(1)
                                    .setNumberSlotsPerTaskManager(2)
                                    .build());
            flink.before();
            TestStreamEnvironment.setAsContext(flink.getMiniCluster(), 2);
            try {
                StreamOptions stream =
                        new StreamOptions(
                                kafka.bootstrapServers(),
                                Duration.ofMillis(conf.get(CHECKPOINT_MS)),
                                2,
                                0,
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(60),
                                Duration.ofMinutes(5));
                double pass = 0;
                double shortTerm = 0;
                double withStore = 0;
                for (int r = 1; r <= conf.get(ROUNDS); r++) {
                    String topic = "pass-" + r;
                    kafka.createTopics(2, topic, "sti-" + r, "dead-" + r);
                    pass = events / passThrough(stream, topic, "g-pass-" + r);
                    shortTerm = events / shortTerm(stream, items, r, Optional.empty());
                    kafka.createTopics(2, "sti-store-" + r, "dead-store-" + r);
                    withStore =
                            events
                                    / shortTerm(
                                            stream,
                                            items,
                                            r,
                                            Optional.of(
                                                    StoreSettings.rocksDb(
                                                            dir.resolve("store-" + r))));
                    System.out.printf(
                            Locale.ROOT,
                            "bench-stream: round %d: pass-through %,.0f events/s, short-term-interest %,.0f events/s (ratio %.2f), with the RocksDB user store %,.0f events/s (ratio %.2f)%n",
                            r,
                            pass,
                            shortTerm,
                            shortTerm / pass,
                            withStore,
                            withStore / pass);
                }
                List<Long> latencies = latency(kafka, stream, items, conf, users);
                Collections.sort(latencies);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT throughput: pass-through %,.0f events/s, short-term-interest %,.0f events/s, ratio %.2f; with the RocksDB user store %,.0f events/s, ratio %.2f%n",
                        pass,
                        shortTerm,
                        shortTerm / pass,
                        withStore,
                        withStore / pass);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT latency at %.0f clicks/s: %,d updates, p50 %d ms, p99 %d ms, max %d ms (checkpoint interval %d ms)%n",
                        conf.get(LATENCY_RATE),
                        latencies.size(),
                        percentile(latencies, 0.50),
                        percentile(latencies, 0.99),
                        latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
                        conf.get(CHECKPOINT_MS));
            } finally {
                TestStreamEnvironment.unsetAsContext();
                flink.after();
            }
        }
    }

    /** Net seconds of a bounded pass-through job from the clicks topic to {@code topic}. */
    private static double passThrough(StreamOptions stream, String topic, String group)
            throws Exception {
        StreamExecutionEnvironment env = stream.environment();
        env.fromSource(
                        KafkaIo.boundedSource(stream, "bench-clicks", group),
                        WatermarkStrategy.noWatermarks(),
                        "bench-clicks")
                .sinkTo(
                        KafkaIo.exactlyOnceSink(
                                stream, topic, group + "-tx", new Utf8(), new Utf8()));
        JobExecutionResult result = env.execute("pass-through");
        return result.getNetRuntime() / 1e3;
    }

    /** Net seconds of the bounded short-term job over the clicks topic. */
    private static double shortTerm(
            StreamOptions stream, ItemCategories items, int round, Optional<StoreSettings> store)
            throws Exception {
        String suffix = store.isPresent() ? "store-" + round : Integer.toString(round);
        if (store.isPresent()) {
            try (OpenedStores stores = OpenedStores.open(store.get())) {
                stores.userStore().putDefaultCsid(GroupCsid.of(0, 0, 0));
            }
        }
        ShortTermInterestJob.Settings s =
                new ShortTermInterestJob.Settings(
                        stream,
                        "bench-clicks",
                        "sti-" + suffix,
                        "dead-" + suffix,
                        10,
                        Duration.ofDays(30),
                        items,
                        "g-sti-" + suffix,
                        "tx-sti-" + suffix,
                        true,
                        store,
                        Optional.empty());
        StreamExecutionEnvironment env = stream.environment();
        ShortTermInterestJob.wire(env, s, UnaryOperator.identity());
        return env.execute("short-term-interest").getNetRuntime() / 1e3;
    }

    /** Update latencies in ms at a fixed input rate, producer send to read_committed receipt. */
    private static List<Long> latency(
            EmbeddedKafka kafka,
            StreamOptions stream,
            ItemCategories items,
            Configuration conf,
            int users)
            throws Exception {
        kafka.createTopics(2, "lat-out", "lat-dead");
        ShortTermInterestJob.Settings s =
                new ShortTermInterestJob.Settings(
                        stream,
                        "lat-clicks",
                        "lat-out",
                        "lat-dead",
                        10,
                        Duration.ofDays(30),
                        items,
                        "g-lat",
                        "tx-lat",
                        false,
                        Optional.empty(),
                        Optional.empty());
        StreamExecutionEnvironment env = stream.environment();
        ShortTermInterestJob.wire(env, s, UnaryOperator.identity());
        JobClient job = env.executeAsync("latency");
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            Thread.sleep(100);
        }
        Thread.sleep(3_000); // the sources are assigned their splits
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        Thread reader =
                new Thread(
                        () -> {
                            try (KafkaConsumer<String, String> c = kafka.committedConsumer()) {
                                c.subscribe(List.of("lat-out"));
                                while (!done.get()) {
                                    for (ConsumerRecord<String, String> r :
                                            c.poll(Duration.ofMillis(50))) {
                                        long now = System.nanoTime();
                                        ShortTermUpdate u = ShortTermUpdate.parse(r.value());
                                        Long at = sent.get(u.userId() + ":" + u.epochSeconds());
                                        if (at != null) {
                                            latencies.add((now - at) / 1_000_000);
                                        }
                                    }
                                }
                            }
                        });
        reader.start();
        Random random = new Random(99);
        double rate = conf.get(LATENCY_RATE);
        long total = (long) (rate * conf.get(LATENCY_SECONDS));
        long start = System.nanoTime();
        try (KafkaProducer<String, String> p = kafka.producer()) {
            for (long i = 0; i < total; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int user = 1 + random.nextInt(users);
                long ts = START + 10_000_000L + i;
                String json =
                        "{\"user\":"
                                + user
                                + ",\"item\":"
                                + (1 + random.nextInt(2_000))
                                + ",\"ts\":"
                                + ts
                                + "}";
                sent.put(user + ":" + ts, System.nanoTime());
                p.send(new ProducerRecord<>("lat-clicks", Integer.toString(user), json));
            }
        }
        Thread.sleep(3 * conf.get(CHECKPOINT_MS) + 2_000);
        done.set(true);
        reader.join();
        job.cancel().get();
        return new ArrayList<>(latencies);
    }

    private static void preload(EmbeddedKafka kafka, int events, int users) {
        Random random = new Random(7);
        try (KafkaProducer<String, String> p = kafka.producer()) {
            for (int i = 0; i < events; i++) {
                int user = 1 + random.nextInt(users);
                String json =
                        "{\"user\":"
                                + user
                                + ",\"item\":"
                                + (1 + random.nextInt(2_000))
                                + ",\"ts\":"
                                + (START + i)
                                + "}";
                p.send(new ProducerRecord<>("bench-clicks", Integer.toString(user), json));
            }
            p.flush();
        }
    }

    /** 2,000 items over 18 categories, one to three each, seeded. */
    private static ItemCategories items() {
        Random random = new Random(3);
        List<Item> items = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) {
            List<String> cats = new ArrayList<>();
            int k = 1 + random.nextInt(3);
            while (cats.size() < k) {
                String c = String.format(Locale.ROOT, "c%02d", random.nextInt(18));
                if (!cats.contains(c)) {
                    cats.add(c);
                }
            }
            items.add(new Item(i, "item " + i, cats));
        }
        return ItemCategories.of(items);
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** Text as UTF-8 bytes. */
    static final class Utf8 implements SerializationSchema<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
