package org.coea.flink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;

/**
 * The options every streaming job shares: the Kafka cluster, checkpointing, restarts, parallelism
 * and the bound on out-of-order event time.
 *
 * @param bootstrapServers the Kafka bootstrap servers
 * @param checkpointInterval the checkpoint interval; the exactly-once Kafka sinks commit at each
 *     checkpoint, so it bounds the output latency
 * @param parallelism the job parallelism; 0 keeps the environment's default
 * @param restartAttempts fixed-delay restart attempts after a failure
 * @param restartDelay the delay between restarts
 * @param maxOutOfOrderness how far event time may run backwards before an event is late
 * @param transactionTimeout the Kafka transaction timeout of the exactly-once sinks (at most the
 *     broker's {@code transaction.max.timeout.ms})
 * @param kafkaClientProperties Kafka client settings for every source and sink (security and
 *     tuning), from {@code kafka.client-properties}; never printed with their values
 */
public record StreamOptions(
        String bootstrapServers,
        Duration checkpointInterval,
        int parallelism,
        int restartAttempts,
        Duration restartDelay,
        Duration maxOutOfOrderness,
        Duration transactionTimeout,
        Map<String, String> kafkaClientProperties)
        implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The options without extra Kafka client settings. */
    public StreamOptions(
            String bootstrapServers,
            Duration checkpointInterval,
            int parallelism,
            int restartAttempts,
            Duration restartDelay,
            Duration maxOutOfOrderness,
            Duration transactionTimeout) {
        this(
                bootstrapServers,
                checkpointInterval,
                parallelism,
                restartAttempts,
                restartDelay,
                maxOutOfOrderness,
                transactionTimeout,
                Map.of());
    }

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers, comma-separated host:port.");
    public static final ConfigOption<Long> CHECKPOINT_INTERVAL_MS =
            ConfigOptions.key("checkpoint.interval-ms")
                    .longType()
                    .defaultValue(10_000L)
                    .withDescription(
                            "Checkpoint interval in ms; the exactly-once Kafka sinks commit on each checkpoint, so readers with isolation.level=read_committed see output this often.");
    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Job parallelism; 0 keeps the cluster default.");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            ConfigOptions.key("restart.attempts")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Fixed-delay restarts from the last checkpoint before the job fails.");
    public static final ConfigOption<Long> RESTART_DELAY_MS =
            ConfigOptions.key("restart.delay-ms")
                    .longType()
                    .defaultValue(1_000L)
                    .withDescription("Delay between restarts in ms.");
    public static final ConfigOption<Long> MAX_OUT_OF_ORDERNESS_MS =
            ConfigOptions.key("event-time.max-out-of-orderness-ms")
                    .longType()
                    .defaultValue(60_000L)
                    .withDescription(
                            "Bounded out-of-orderness of event time in ms: the watermark trails the newest event time by this much.");
    public static final ConfigOption<Long> TRANSACTION_TIMEOUT_MS =
            ConfigOptions.key("kafka.transaction-timeout-ms")
                    .longType()
                    .defaultValue(600_000L)
                    .withDescription(
                            "Kafka transaction timeout of the exactly-once sinks in ms; at most the broker's transaction.max.timeout.ms (15 min by default), more than the checkpoint interval.");

    public static final ConfigOption<String> CLIENT_PROPERTIES =
            ConfigOptions.key("kafka.client-properties")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A Java properties file of Kafka client settings for every source and sink of the job: security.protocol, sasl.mechanism, sasl.jaas.config, sasl.kerberos.service.name, ssl.truststore.location, ... (docs/operations.md). Keep secrets out of it: reference them through Kafka config providers (config.providers=env with ${env:VAR}, or a mounted secret file with config.providers=file). Settings the jobs own (bootstrap.servers, group.id, isolation.level, serializers, transactions) are rejected.");

    /**
     * Client settings the jobs set themselves, from their options or for exactly-once: a file
     * setting one of them is rejected rather than silently overridden.
     */
    static final java.util.Set<String> OWNED =
            java.util.Set.of(
                    "bootstrap.servers",
                    "group.id",
                    "isolation.level",
                    "enable.auto.commit",
                    "key.deserializer",
                    "value.deserializer",
                    "key.serializer",
                    "value.serializer",
                    "transactional.id",
                    "transaction.timeout.ms",
                    "enable.idempotence");

    /** The shared options, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    BOOTSTRAP_SERVERS,
                    CLIENT_PROPERTIES,
                    CHECKPOINT_INTERVAL_MS,
                    PARALLELISM,
                    RESTART_ATTEMPTS,
                    RESTART_DELAY_MS,
                    MAX_OUT_OF_ORDERNESS_MS,
                    TRANSACTION_TIMEOUT_MS);

    /**
     * How long a source partition may go without records before it stops holding the watermark
     * back, in unbounded runs. Bounded runs use none: a subtask whose partitions are done sends the
     * end-of-input watermark, and an idle (merely slow) sibling would let that watermark through
     * and fire every state-TTL timer early.
     */
    public static final Duration IDLENESS = Duration.ofMinutes(1);

    /** A bounded-out-of-orderness watermark strategy, with {@link #IDLENESS} unless bounded. */
    public <T> org.apache.flink.api.common.eventtime.WatermarkStrategy<T> watermarks(
            org.apache.flink.api.common.eventtime.SerializableTimestampAssigner<T> timestamps,
            boolean bounded) {
        org.apache.flink.api.common.eventtime.WatermarkStrategy<T> w =
                org.apache.flink.api.common.eventtime.WatermarkStrategy.<T>forBoundedOutOfOrderness(
                                maxOutOfOrderness)
                        .withTimestampAssigner(timestamps);
        return bounded ? w : w.withIdleness(IDLENESS);
    }

    /** Validates the values; names the wrong one. */
    public StreamOptions {
        kafkaClientProperties = copy(kafkaClientProperties);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS.key() + " is empty");
        }
        positive(checkpointInterval, CHECKPOINT_INTERVAL_MS);
        positive(restartDelay, RESTART_DELAY_MS);
        positive(transactionTimeout, TRANSACTION_TIMEOUT_MS);
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException(MAX_OUT_OF_ORDERNESS_MS.key() + " is negative");
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException(PARALLELISM.key() + " must be >= 0");
        }
        if (restartAttempts < 0) {
            throw new IllegalArgumentException(RESTART_ATTEMPTS.key() + " must be >= 0");
        }
        if (transactionTimeout.compareTo(checkpointInterval) <= 0) {
            throw new IllegalArgumentException(
                    TRANSACTION_TIMEOUT_MS.key()
                            + " must exceed "
                            + CHECKPOINT_INTERVAL_MS.key()
                            + ", or transactions time out before they commit");
        }
    }

    /** Resolves the options. */
    public static StreamOptions from(Configuration conf) {
        return new StreamOptions(
                conf.get(BOOTSTRAP_SERVERS),
                Duration.ofMillis(conf.get(CHECKPOINT_INTERVAL_MS)),
                conf.get(PARALLELISM),
                conf.get(RESTART_ATTEMPTS),
                Duration.ofMillis(conf.get(RESTART_DELAY_MS)),
                Duration.ofMillis(conf.get(MAX_OUT_OF_ORDERNESS_MS)),
                Duration.ofMillis(conf.get(TRANSACTION_TIMEOUT_MS)),
                conf.optional(CLIENT_PROPERTIES)
                        .map(f -> clientProperties(java.nio.file.Path.of(f)))
                        .orElse(Map.of()));
    }

    /**
     * Reads a Kafka client properties file.
     *
     * @throws IllegalArgumentException naming the file: unreadable, or setting a key the jobs own
     */
    public static Map<String, String> clientProperties(java.nio.file.Path file) {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r =
                java.nio.file.Files.newBufferedReader(
                        file, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    CLIENT_PROPERTIES.key() + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new java.util.TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (OWNED.contains(k)) {
                throw new IllegalArgumentException(
                        CLIENT_PROPERTIES.key()
                                + ": "
                                + file
                                + " sets "
                                + k
                                + ", which the jobs set themselves (use the job options instead)");
            }
            out.put(k, p.getProperty(k));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The Kafka client settings as {@link java.util.Properties}. */
    public java.util.Properties kafkaProperties() {
        java.util.Properties p = new java.util.Properties();
        p.putAll(kafkaClientProperties);
        return p;
    }

    /** Copies the client settings into a sorted, unmodifiable (serializable) map. */
    private static Map<String, String> copy(Map<String, String> m) {
        return m == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(m));
    }

    /** The options, with the Kafka client settings' names only (their values may be secrets). */
    @Override
    public String toString() {
        return "StreamOptions[bootstrapServers="
                + bootstrapServers
                + ", checkpointInterval="
                + checkpointInterval
                + ", parallelism="
                + parallelism
                + ", restartAttempts="
                + restartAttempts
                + ", restartDelay="
                + restartDelay
                + ", maxOutOfOrderness="
                + maxOutOfOrderness
                + ", transactionTimeout="
                + transactionTimeout
                + ", kafkaClientProperties="
                + kafkaClientProperties.keySet()
                + "]";
    }

    /** These options with other bootstrap servers. */
    public StreamOptions withBootstrapServers(String servers) {
        return new StreamOptions(
                servers,
                checkpointInterval,
                parallelism,
                restartAttempts,
                restartDelay,
                maxOutOfOrderness,
                transactionTimeout,
                kafkaClientProperties);
    }

    /**
     * An environment with exactly-once checkpointing, the HashMap state backend (the RocksDB state
     * backend's frocksdbjni clashes with the embedded store's rocksdbjni), fixed-delay restarts and
     * the parallelism.
     */
    public StreamExecutionEnvironment environment() {
        org.apache.flink.configuration.Configuration c =
                new org.apache.flink.configuration.Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        return env;
    }

    private static void positive(Duration d, ConfigOption<Long> option) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option.key() + " must be positive");
        }
    }
}
