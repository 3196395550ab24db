package org.coea.flink.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.store.NoveltyRetriever;
import org.coea.flink.FlinkJob;
import org.coea.flink.StreamOptions;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.flink.deadletter.DeadLetterJson;
import org.coea.flink.kafka.KafkaIo;
import org.coea.flink.store.StoreOptions;
import org.coea.stores.StoreSettings;

/**
 * {@code coea flink novelty-lookup}: for each request (by default each record of the {@code
 * short-term-interests} topic, i.e. each short-term update), looks up the user's novel categories
 * with Flink async I/O ({@link NoveltyLookupFunction}) and writes them to the {@code
 * novel-categories} topic; malformed requests go to the dead-letter topic.
 */
public final class NoveltyLookupJob implements FlinkJob {
    /** The job name. */
    public static final String NAME = "novelty-lookup";

    public static final ConfigOption<String> REQUESTS_TOPIC =
            ConfigOptions.key("topic.requests")
                    .stringType()
                    .defaultValue("short-term-interests")
                    .withDescription(
                            "Input topic of requests {\"user\":..,\"set\":[..]} (the short-term updates by default).");
    public static final ConfigOption<String> OUTPUT_TOPIC =
            ConfigOptions.key("topic.novel-categories")
                    .stringType()
                    .defaultValue("novel-categories")
                    .withDescription("Output topic of the answers (JSON).");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("topic.dead-letter")
                    .stringType()
                    .defaultValue("dead-letter")
                    .withDescription("Topic of rejected requests with the reason (JSON).");
    public static final ConfigOption<Integer> THREADS =
            ConfigOptions.key("lookup.threads")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Store threads per subtask.");
    public static final ConfigOption<Integer> CAPACITY =
            ConfigOptions.key("lookup.capacity")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Requests in flight per subtask (async I/O capacity).");
    public static final ConfigOption<Long> TIMEOUT_MS =
            ConfigOptions.key("lookup.timeout-ms")
                    .longType()
                    .defaultValue(5_000L)
                    .withDescription("Timeout of one lookup in ms; a timeout fails the job.");
    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("coea-novelty-lookup")
                    .withDescription("Consumer group of the requests source.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("coea-novelty-lookup")
                    .withDescription("Transactional id prefix of the exactly-once sinks.");
    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read the requests topic up to the end offsets at start, then finish.");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS = allOptions();

    private static List<ConfigOption<?>> allOptions() {
        List<ConfigOption<?>> all =
                new ArrayList<>(
                        List.of(
                                REQUESTS_TOPIC,
                                OUTPUT_TOPIC,
                                DEAD_LETTER_TOPIC,
                                THREADS,
                                CAPACITY,
                                TIMEOUT_MS,
                                GROUP_ID,
                                TRANSACTIONAL_ID_PREFIX,
                                BOUNDED));
        all.addAll(StreamOptions.OPTIONS);
        all.addAll(StoreOptions.OPTIONS);
        return List.copyOf(all);
    }

    /**
     * The outputs.
     *
     * @param answers one answer per valid request
     * @param deadLetters rejected requests
     */
    public record Outputs(
            DataStream<NoveltyRetriever.Answer> answers, DataStream<DeadLetter> deadLetters) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "requests or short-term updates -> novel categories from the stores (async I/O) -> novel-categories topic";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return OPTIONS;
    }

    @Override
    public void run(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamOptions.from(conf).environment();
        wire(env, conf);
        env.execute(NAME);
    }

    /** Adds the job with its Kafka source and exactly-once sinks to {@code env}. */
    public static Outputs wire(StreamExecutionEnvironment env, Configuration conf) {
        StreamOptions stream = StreamOptions.from(conf);
        StoreSettings store =
                StoreOptions.from(conf)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                NAME
                                                        + " reads the stores: --"
                                                        + StoreOptions.ENABLED.key()
                                                        + " must be true"));
        String topic = conf.get(REQUESTS_TOPIC);
        KafkaSource<String> source =
                conf.get(BOUNDED)
                        ? KafkaIo.boundedSource(stream, topic, conf.get(GROUP_ID))
                        : KafkaIo.source(stream, topic, conf.get(GROUP_ID));
        Outputs out =
                build(
                        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-" + topic)
                                .uid("requests-source"),
                        topic,
                        store,
                        conf.get(THREADS),
                        conf.get(CAPACITY),
                        conf.get(TIMEOUT_MS));
        String prefix = conf.get(TRANSACTIONAL_ID_PREFIX);
        out.answers()
                .sinkTo(
                        KafkaIo.exactlyOnceSink(
                                stream,
                                conf.get(OUTPUT_TOPIC),
                                prefix + "-answers",
                                new NoveltyAnswers.Key(),
                                new NoveltyAnswers.Value()))
                .uid("answers-sink");
        out.deadLetters()
                .sinkTo(
                        KafkaIo.exactlyOnceSink(
                                stream,
                                conf.get(DEAD_LETTER_TOPIC),
                                prefix + "-dead-letters",
                                new DeadLetterJson.Key(),
                                new DeadLetterJson()))
                .uid("dead-letter-sink");
        return out;
    }

    /** The processing between any source of request records and the outputs. */
    public static Outputs build(
            DataStream<String> requests,
            String sourceTopic,
            StoreSettings store,
            int threads,
            int capacity,
            long timeoutMillis) {
        SingleOutputStreamOperator<LookupRequest> parsed =
                requests.process(new ParseRequestsFunction(sourceTopic))
                        .name("parse-requests")
                        .uid("parse-requests");
        DataStream<NoveltyRetriever.Answer> answers =
                AsyncDataStream.unorderedWait(
                                parsed,
                                new NoveltyLookupFunction(store, threads),
                                timeoutMillis,
                                TimeUnit.MILLISECONDS,
                                capacity)
                        .name("novelty-lookup")
                        .uid("novelty-lookup");
        return new Outputs(answers, parsed.getSideOutput(ParseRequestsFunction.DEAD_LETTERS));
    }
}
