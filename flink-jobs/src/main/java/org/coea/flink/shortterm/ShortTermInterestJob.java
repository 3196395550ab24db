package org.coea.flink.shortterm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.model.ClickRecord;
import org.coea.flink.FlinkJob;
import org.coea.flink.StreamOptions;
import org.coea.flink.clicks.CategorizeClicksFunction;
import org.coea.flink.clicks.CategorizedClick;
import org.coea.flink.clicks.ParseClicksFunction;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.flink.deadletter.DeadLetterJson;
import org.coea.flink.items.ItemCategories;
import org.coea.flink.items.ItemUpdatesFunction;
import org.coea.flink.kafka.KafkaIo;
import org.coea.flink.store.StoreOptions;
import org.coea.flink.store.UserStoreSink;
import org.coea.stores.StoreSettings;

/**
 * {@code coea flink short-term-interest}: reads the {@code clicks} topic, maps items to categories,
 * keeps each user's last n clicks ({@link ShortTermFunction}) and writes every change of a user's
 * category set to the {@code short-term-interests} topic (exactly-once) and the user store
 * (idempotent puts); records that do not parse or map go to the {@code dead-letter} topic.
 */
public final class ShortTermInterestJob implements FlinkJob {
    /** The job name. */
    public static final String NAME = "short-term-interest";

    public static final ConfigOption<String> CLICKS_TOPIC =
            ConfigOptions.key("topic.clicks")
                    .stringType()
                    .defaultValue("clicks")
                    .withDescription("Input topic of click records (JSON).");
    public static final ConfigOption<String> OUTPUT_TOPIC =
            ConfigOptions.key("topic.short-term-interests")
                    .stringType()
                    .defaultValue("short-term-interests")
                    .withDescription("Output topic of short-term set changes (JSON).");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("topic.dead-letter")
                    .stringType()
                    .defaultValue("dead-letter")
                    .withDescription("Topic of rejected records with the reason (JSON).");
    public static final ConfigOption<String> ITEMS_TOPIC =
            ConfigOptions.key("topic.items")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Optional compacted topic of item records {\"item\":1,\"categories\":[\"name\",...]} that update the items table as broadcast state; empty: the table loaded at start only.");
    public static final ConfigOption<Integer> SHORT_LENGTH =
            ConfigOptions.key("sequences.short-length")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "n, the short-term window in clicks (the batch sequences stage's key).");
    public static final ConfigOption<Long> TTL_HOURS =
            ConfigOptions.key("short-term.ttl-hours")
                    .longType()
                    .defaultValue(720L)
                    .withDescription(
                            "Event-time TTL of a user's window: cleared when the watermark passes the newest click plus this many hours.");
    public static final ConfigOption<String> ITEMS_MOVIELENS =
            ConfigOptions.key("items.movielens")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "A GroupLens MovieLens directory whose movies file is the items table (one of items.movielens, items.path).");
    public static final ConfigOption<String> ITEMS_PATH =
            ConfigOptions.key("items.path")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "A JSON-lines items file {\"item\":1,\"categories\":[\"name\",...]} (one of items.movielens, items.path).");
    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("coea-short-term-interest")
                    .withDescription("Consumer group of the clicks source.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("coea-short-term-interest")
                    .withDescription(
                            "Transactional id prefix of the exactly-once sinks; unique per job in the Kafka cluster.");
    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read the clicks topic from the earliest offset to the end offsets at start, then finish (tests, benchmarks, replays).");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS = allOptions();

    private static List<ConfigOption<?>> allOptions() {
        List<ConfigOption<?>> all =
                new ArrayList<>(
                        List.of(
                                CLICKS_TOPIC,
                                OUTPUT_TOPIC,
                                DEAD_LETTER_TOPIC,
                                ITEMS_TOPIC,
                                SHORT_LENGTH,
                                TTL_HOURS,
                                ITEMS_MOVIELENS,
                                ITEMS_PATH,
                                GROUP_ID,
                                TRANSACTIONAL_ID_PREFIX,
                                BOUNDED));
        all.addAll(StreamOptions.OPTIONS);
        all.addAll(StoreOptions.OPTIONS);
        return List.copyOf(all);
    }

    /**
     * The resolved options.
     *
     * @param stream the shared streaming options
     * @param clicksTopic input topic
     * @param outputTopic output topic
     * @param deadLetterTopic rejects topic
     * @param shortLength n
     * @param ttl the state TTL (event time)
     * @param items the items table
     * @param groupId the consumer group
     * @param transactionalIdPrefix the sinks' transactional id prefix
     * @param bounded whether the source stops at the end offsets at start
     * @param store the user store to write; empty for none
     * @param itemsTopic the compacted topic of item updates; empty for none
     */
    public record Settings(
            StreamOptions stream,
            String clicksTopic,
            String outputTopic,
            String deadLetterTopic,
            int shortLength,
            Duration ttl,
            ItemCategories items,
            String groupId,
            String transactionalIdPrefix,
            boolean bounded,
            Optional<StoreSettings> store,
            Optional<String> itemsTopic) {

        /** Validates the fields. */
        public Settings {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(items, "items");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(itemsTopic, "itemsTopic");
            if (shortLength <= 0) {
                throw new IllegalArgumentException(SHORT_LENGTH.key() + " must be positive");
            }
            if (ttl.isZero() || ttl.isNegative()) {
                throw new IllegalArgumentException(TTL_HOURS.key() + " must be positive");
            }
        }

        /** Resolves the options and loads the items table. */
        public static Settings from(Configuration conf) {
            return new Settings(
                    StreamOptions.from(conf),
                    conf.get(CLICKS_TOPIC),
                    conf.get(OUTPUT_TOPIC),
                    conf.get(DEAD_LETTER_TOPIC),
                    conf.get(SHORT_LENGTH),
                    Duration.ofHours(conf.get(TTL_HOURS)),
                    loadItems(conf),
                    conf.get(GROUP_ID),
                    conf.get(TRANSACTIONAL_ID_PREFIX),
                    conf.get(BOUNDED),
                    StoreOptions.from(conf),
                    conf.optional(ITEMS_TOPIC).filter(t -> !t.isBlank()));
        }
    }

    /** The items table the options name. */
    static ItemCategories loadItems(Configuration conf) {
        Optional<String> ml = conf.optional(ITEMS_MOVIELENS).filter(s -> !s.isBlank());
        Optional<String> file = conf.optional(ITEMS_PATH).filter(s -> !s.isBlank());
        if (ml.isPresent() == file.isPresent()) {
            throw new IllegalArgumentException(
                    "set exactly one of --" + ITEMS_MOVIELENS.key() + " and --" + ITEMS_PATH.key());
        }
        return ml.isPresent()
                ? ItemCategories.loadMovieLens(Path.of(ml.get()))
                : ItemCategories.loadJsonLines(Path.of(file.get()));
    }

    /**
     * The job's two outputs.
     *
     * @param updates short-term set changes
     * @param deadLetters records that did not parse or map
     */
    public record Outputs(
            DataStream<ShortTermUpdate> updates, DataStream<DeadLetter> deadLetters) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "clicks topic -> each user's short-term category set -> short-term-interests topic and user store";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return OPTIONS;
    }

    @Override
    public void run(Configuration conf) throws Exception {
        Settings s = Settings.from(conf);
        StreamExecutionEnvironment env = s.stream().environment();
        wire(env, s, UnaryOperator.identity());
        env.execute(NAME);
    }

    /**
     * The processing between any source of click records and the two outputs (sources and sinks are
     * the caller's).
     */
    public static Outputs build(
            DataStream<String> clicks,
            ItemCategories items,
            int shortLength,
            Duration ttl,
            Duration maxOutOfOrderness,
            String clicksTopic) {
        return build(
                clicks,
                Optional.empty(),
                "",
                items,
                shortLength,
                ttl,
                WatermarkStrategy.<ClickRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
                        .withTimestampAssigner(new ClickTime()),
                clicksTopic);
    }

    /**
     * The processing, with the items table updated from a stream of item records (broadcast state,
     * {@link ItemUpdatesFunction}) when {@code itemUpdates} is present.
     */
    public static Outputs build(
            DataStream<String> clicks,
            Optional<DataStream<String>> itemUpdates,
            String itemsTopic,
            ItemCategories items,
            int shortLength,
            Duration ttl,
            WatermarkStrategy<ClickRecord> watermarks,
            String clicksTopic) {
        SingleOutputStreamOperator<ClickRecord> parsed =
                clicks.process(new ParseClicksFunction(clicksTopic))
                        .name("parse-clicks")
                        .uid("parse-clicks");
        SingleOutputStreamOperator<ClickRecord> timed =
                parsed.assignTimestampsAndWatermarks(watermarks)
                        .name("event-time")
                        .uid("event-time");
        SingleOutputStreamOperator<CategorizedClick> categorized =
                itemUpdates.isPresent()
                        ? timed.connect(itemUpdates.get().broadcast(ItemUpdatesFunction.ITEMS))
                                .process(new ItemUpdatesFunction(items, clicksTopic, itemsTopic))
                                .name("categorize-clicks")
                                .uid("categorize-clicks-broadcast")
                        : timed.process(new CategorizeClicksFunction(items, clicksTopic))
                                .name("categorize-clicks")
                                .uid("categorize-clicks");
        DataStream<ShortTermUpdate> updates =
                categorized
                        .keyBy(CategorizedClick::userId)
                        .process(new ShortTermFunction(shortLength, ttl))
                        .name("short-term-window")
                        .uid("short-term-window");
        DataStream<DeadLetter> deadLetters =
                parsed.getSideOutput(ParseClicksFunction.DEAD_LETTERS)
                        .union(categorized.getSideOutput(CategorizeClicksFunction.DEAD_LETTERS));
        return new Outputs(updates, deadLetters);
    }

    /**
     * Adds the job to {@code env}: the Kafka source (through {@code tap}, where a test can inject a
     * failure), the processing, the exactly-once Kafka sinks and the user store sink.
     */
    public static Outputs wire(
            StreamExecutionEnvironment env, Settings s, UnaryOperator<DataStream<String>> tap) {
        KafkaSource<String> source =
                s.bounded()
                        ? KafkaIo.boundedSource(s.stream(), s.clicksTopic(), s.groupId())
                        : KafkaIo.source(s.stream(), s.clicksTopic(), s.groupId());
        DataStream<String> clicks =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-" + s.clicksTopic())
                        .uid("clicks-source");
        Optional<DataStream<String>> itemUpdates =
                s.itemsTopic()
                        .map(
                                topic ->
                                        env.fromSource(
                                                        s.bounded()
                                                                ? KafkaIo.boundedSource(
                                                                        s.stream(),
                                                                        topic,
                                                                        s.groupId())
                                                                : KafkaIo.source(
                                                                        s.stream(),
                                                                        topic,
                                                                        s.groupId()),
                                                        WatermarkStrategy.noWatermarks(),
                                                        "kafka-" + topic)
                                                .uid("items-source"));
        Outputs out =
                build(
                        tap.apply(clicks),
                        itemUpdates,
                        s.itemsTopic().orElse(""),
                        s.items(),
                        s.shortLength(),
                        s.ttl(),
                        s.stream().watermarks(new ClickTime(), s.bounded()),
                        s.clicksTopic());
        out.updates()
                .sinkTo(
                        KafkaIo.exactlyOnceSink(
                                s.stream(),
                                s.outputTopic(),
                                s.transactionalIdPrefix() + "-updates",
                                new UpdateSchemas.Key(),
                                new UpdateSchemas.Value()))
                .name("kafka-" + s.outputTopic())
                .uid("updates-sink");
        out.deadLetters()
                .sinkTo(
                        KafkaIo.exactlyOnceSink(
                                s.stream(),
                                s.deadLetterTopic(),
                                s.transactionalIdPrefix() + "-dead-letters",
                                new DeadLetterJson.Key(),
                                new DeadLetterJson()))
                .name("kafka-" + s.deadLetterTopic())
                .uid("dead-letter-sink");
        s.store()
                .ifPresent(
                        st ->
                                out.updates()
                                        .sinkTo(new UserStoreSink(st))
                                        .name("user-store")
                                        .uid("user-store-sink"));
        return out;
    }

    /** Event time of a click: its timestamp in milliseconds. */
    static final class ClickTime
            implements org.apache.flink.api.common.eventtime.SerializableTimestampAssigner<
                    ClickRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(ClickRecord click, long previous) {
            return click.epochSeconds() * 1000L;
        }
    }
}
