package org.coea.flink.lookup;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.coea.common.ingest.Parsed;
import org.coea.flink.deadletter.DeadLetter;

/** Parses lookup requests; rejects go to {@link #DEAD_LETTERS} with the reason and are counted. */
public class ParseRequestsFunction extends ProcessFunction<String, LookupRequest> {
    private static final long serialVersionUID = 1L;

    /** The side output of rejected requests. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("request-dead-letters", TypeInformation.of(DeadLetter.class));

    /** The counter of rejected requests. */
    public static final String REJECTED_COUNTER = "requestsRejected";

    private final String sourceTopic;
    private transient Counter rejected;

    /** Parses records of {@code sourceTopic}. */
    public ParseRequestsFunction(String sourceTopic) {
        this.sourceTopic = sourceTopic;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        rejected = getRuntimeContext().getMetricGroup().counter(REJECTED_COUNTER);
    }

    @Override
    public void processElement(String value, Context ctx, Collector<LookupRequest> out) {
        Parsed<LookupRequest> p = LookupRequest.parse(value);
        if (p.isOk()) {
            out.collect(p.value());
        } else {
            rejected.inc();
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            sourceTopic,
                            value == null ? "" : value,
                            p.reason(),
                            ctx.timerService().currentProcessingTime()));
        }
    }
}
