package org.coea.flink.clicks;

import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.coea.common.ingest.ClickJsonParser;
import org.coea.common.ingest.Parsed;
import org.coea.common.model.ClickRecord;
import org.coea.flink.deadletter.DeadLetter;

/**
 * Parses {@code clicks} topic records (JSON, see {@link ClickJsonParser}) into {@link ClickRecord}s
 * and sends every record that does not parse to the {@link #DEAD_LETTERS} side output with its
 * reason, so one bad producer never stops the stream. Counts both in the operator's metric group.
 */
public class ParseClicksFunction extends ProcessFunction<String, ClickRecord> {
    private static final long serialVersionUID = 1L;

    /** The topic name dead letters carry by default. */
    public static final String DEFAULT_TOPIC = "clicks";

    /** The side output of rejected records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("clicks-dead-letters", TypeInformation.of(DeadLetter.class));

    /** The counter of records that parsed. */
    public static final String ACCEPTED_COUNTER = "clicksAccepted";

    /** The counter of records sent to {@link #DEAD_LETTERS}. */
    public static final String REJECTED_COUNTER = "clicksRejected";

    private final String sourceTopic;
    private transient Counter accepted;
    private transient Counter rejected;

    /** Parses records of the {@value #DEFAULT_TOPIC} topic. */
    public ParseClicksFunction() {
        this(DEFAULT_TOPIC);
    }

    /** Parses records read from {@code sourceTopic}, the name dead letters carry. */
    public ParseClicksFunction(String sourceTopic) {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        if (sourceTopic.isBlank()) {
            throw new IllegalArgumentException("blank source topic");
        }
        this.sourceTopic = sourceTopic;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        accepted = metrics.counter(ACCEPTED_COUNTER);
        rejected = metrics.counter(REJECTED_COUNTER);
    }

    @Override
    public void processElement(String value, Context ctx, Collector<ClickRecord> out) {
        Parsed<ClickRecord> parsed = ClickJsonParser.parse(value);
        if (parsed.isOk()) {
            accepted.inc();
            out.collect(parsed.value());
        } else {
            rejected.inc();
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            sourceTopic,
                            value == null ? "" : value,
                            parsed.reason(),
                            ctx.timerService().currentProcessingTime()));
        }
    }
}
