package org.coea.flink.exposure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.exposure.NewItemExposure;
import org.coea.common.exposure.NewItemExposure.DayFigure;
import org.coea.common.model.ClickRecord;
import org.coea.flink.FlinkJob;
import org.coea.flink.StreamOptions;
import org.coea.flink.clicks.ParseClicksFunction;
import org.coea.flink.deadletter.DeadLetter;
import org.coea.flink.deadletter.DeadLetterJson;
import org.coea.flink.kafka.KafkaIo;

/**
 * {@code coea flink exposure-novelty}: 7D-NIEP ({@link NewItemExposure}) per UTC day from the
 * {@code exposures} topic (records in the clicks schema; a category is ignored), written to the
 * {@code exposure-novelty} topic when the watermark passes the end of each day.
 */
public final class ExposureNoveltyJob implements FlinkJob {
    /** The job name. */
    public static final String NAME = "exposure-novelty";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final ConfigOption<String> EXPOSURES_TOPIC =
            ConfigOptions.key("topic.exposures")
                    .stringType()
                    .defaultValue("exposures")
                    .withDescription(
                            "Input topic of exposure records (JSON, the clicks schema: user, item, ts).");
    public static final ConfigOption<String> OUTPUT_TOPIC =
            ConfigOptions.key("topic.exposure-novelty")
                    .stringType()
                    .defaultValue("exposure-novelty")
                    .withDescription("Output topic of the daily 7D-NIEP figures (JSON).");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("topic.dead-letter")
                    .stringType()
                    .defaultValue("dead-letter")
                    .withDescription("Topic of rejected records with the reason (JSON).");
    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("coea-exposure-novelty")
                    .withDescription("Consumer group of the exposures source.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("coea-exposure-novelty")
                    .withDescription("Transactional id prefix of the exactly-once sinks.");
    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read the exposures topic up to the end offsets at start, then finish (the last day is then reported too).");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS = allOptions();

    private static List<ConfigOption<?>> allOptions() {
        List<ConfigOption<?>> all =
                new ArrayList<>(
                        List.of(
                                EXPOSURES_TOPIC,
                                OUTPUT_TOPIC,
                                DEAD_LETTER_TOPIC,
                                GROUP_ID,
                                TRANSACTIONAL_ID_PREFIX,
                                BOUNDED));
        all.addAll(StreamOptions.OPTIONS);
        return List.copyOf(all);
    }

    /**
     * The outputs.
     *
     * @param figures one figure per day with exposures, when the day is complete
     * @param deadLetters rejected records
     */
    public record Outputs(DataStream<DayFigure> figures, DataStream<DeadLetter> deadLetters) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "exposures topic -> 7D-NIEP per day -> exposure-novelty topic";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return OPTIONS;
    }

    /**
     * The topic record of a day: {@code
     * {"day":"2026-11-26","exposures":..,"new_exposures":..,"niep":..}}.
     */
    public static String render(DayFigure f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("day", LocalDate.ofEpochDay(f.day()).toString());
        n.put("exposures", f.exposures());
        n.put("new_exposures", f.newExposures());
        n.put("niep", f.niep());
        return n.toString();
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
        String topic = conf.get(EXPOSURES_TOPIC);
        KafkaSource<String> source =
                conf.get(BOUNDED)
                        ? KafkaIo.boundedSource(stream, topic, conf.get(GROUP_ID))
                        : KafkaIo.source(stream, topic, conf.get(GROUP_ID));
        Outputs out =
                build(
                        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-" + topic)
                                .uid("exposures-source"),
                        topic,
                        stream.watermarks(new ExposureTime(), conf.get(BOUNDED)));
        String prefix = conf.get(TRANSACTIONAL_ID_PREFIX);
        out.figures()
                .sinkTo(
                        KafkaIo.exactlyOnceSink(
                                stream,
                                conf.get(OUTPUT_TOPIC),
                                prefix + "-figures",
                                new DayKey(),
                                new DayValue()))
                .uid("figures-sink");
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

    /** The processing between any source of exposure records and the outputs. */
    public static Outputs build(
            DataStream<String> exposures, String sourceTopic, Duration maxOutOfOrderness) {
        return build(
                exposures,
                sourceTopic,
                WatermarkStrategy.<ClickRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
                        .withTimestampAssigner(new ExposureTime()));
    }

    /** The processing with a given watermark strategy. */
    public static Outputs build(
            DataStream<String> exposures,
            String sourceTopic,
            WatermarkStrategy<ClickRecord> watermarks) {
        SingleOutputStreamOperator<ClickRecord> parsed =
                exposures
                        .process(new ParseClicksFunction(sourceTopic))
                        .name("parse-exposures")
                        .uid("parse-exposures");
        DataStream<DayFigure> figures =
                parsed.assignTimestampsAndWatermarks(watermarks)
                        .uid("exposure-time")
                        .keyBy(ClickRecord::itemId)
                        .process(new ItemDayFunction())
                        .name("item-days")
                        .uid("item-days")
                        .keyBy(ItemDay::day)
                        .process(new DayTotalsFunction())
                        .name("day-totals")
                        .uid("day-totals");
        return new Outputs(figures, parsed.getSideOutput(ParseClicksFunction.DEAD_LETTERS));
    }

    /** The Kafka key of a figure: the day. */
    static final class DayKey implements SerializationSchema<DayFigure> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DayFigure f) {
            return LocalDate.ofEpochDay(f.day()).toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The Kafka value of a figure: {@link #render}. */
    static final class DayValue implements SerializationSchema<DayFigure> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DayFigure f) {
            return render(f).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Event time of an exposure: its timestamp in milliseconds. */
    static final class ExposureTime
            implements org.apache.flink.api.common.eventtime.SerializableTimestampAssigner<
                    ClickRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(ClickRecord e, long previous) {
            return e.epochSeconds() * 1000L;
        }
    }
}
