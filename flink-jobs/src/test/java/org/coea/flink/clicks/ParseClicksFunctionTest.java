package org.coea.flink.clicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.InstantiationUtil;
import org.coea.common.model.ClickRecord;
import org.coea.flink.deadletter.DeadLetter;
import org.junit.jupiter.api.Test;

class ParseClicksFunctionTest {
    private static final long APRIL_2 = 1_743_552_000L;

    private static final List<String> GOOD =
            List.of(
                    "{\"user\": 7, \"item\": 42, \"ts\": 1743552000, \"category\": \"food\"}",
                    "{\"user\": \"8\", \"item\": 43, \"ts\": 1743552000123}",
                    "{\"user\": 9, \"item\": 44, \"ts\": \"2025-04-02T00:00:05Z\", \"x\": 1}");

    private static final List<ClickRecord> PARSED =
            List.of(
                    new ClickRecord(7, 42, APRIL_2, "food"),
                    new ClickRecord(8, 43, APRIL_2, null),
                    new ClickRecord(9, 44, APRIL_2 + 5, null));

    /** One record of each reject kind, with the reason its dead letter must carry. */
    private static final Map<String, String> BAD = new LinkedHashMap<>();

    static {
        BAD.put("", "empty record");
        BAD.put(
                "user=7",
                "not JSON: Unrecognized token 'user': was expecting (JSON String,"
                        + " Number, Array, Object or token 'null', 'true' or 'false') (column 1)");
        BAD.put("[1, 2]", "not a JSON object");
        BAD.put("{\"item\": 4, \"ts\": 1}", "missing user id");
        BAD.put("{\"user\": \"u7\", \"item\": 4, \"ts\": 1}", "non-numeric user id 'u7'");
        BAD.put("{\"user\": 7, \"item\": -4, \"ts\": 1}", "negative item id '-4'");
        BAD.put("{\"user\": 7, \"item\": 4}", "missing timestamp");
        BAD.put("{\"user\": 7, \"item\": 4, \"ts\": \"soon\"}", "bad timestamp 'soon'");
        BAD.put("{\"user\": 7, \"item\": 4, \"ts\": 1, \"category\": 3}", "non-text category '3'");
    }

    @Test
    void emitsParsedClicksAndSendsEachRejectToDeadLettersWithItsReason() throws Exception {
        OneInputStreamOperatorTestHarness<String, ClickRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new ParseClicksFunction("clicks-test"));
        List<DeadLetter> expectedDead = new ArrayList<>();
        int in = 0;
        long now = 5_000;
        List<String> bad = new ArrayList<>(BAD.keySet());
        for (int i = 0; i < Math.max(GOOD.size(), bad.size()); i++) {
            if (i < GOOD.size()) {
                harness.processElement(GOOD.get(i), 100 + i);
                in++;
            }
            if (i < bad.size()) {
                now += 1_000;
                harness.setProcessingTime(now);
                harness.processElement(bad.get(i), 200 + i);
                expectedDead.add(
                        new DeadLetter("clicks-test", bad.get(i), BAD.get(bad.get(i)), now));
                in++;
            }
        }

        List<ClickRecord> out = harness.extractOutputValues();
        assertThat(out).containsExactlyElementsOf(PARSED);
        assertThat(harness.extractOutputStreamRecords())
                .as("clicks keep the timestamp of their input record")
                .extracting(StreamRecord::getTimestamp)
                .containsExactly(100L, 101L, 102L);
        List<DeadLetter> dead = deadLetters(harness);
        assertThat(dead).containsExactlyElementsOf(expectedDead);
        assertThat(out.size() + dead.size()).as("in = out + rejected").isEqualTo(in);
        harness.close();
    }

    @Test
    void countsAcceptedAndRejectedRecordsInTheOperatorMetrics() throws Exception {
        InterceptingOperatorMetricGroup operatorMetrics = new InterceptingOperatorMetricGroup();
        UnregisteredMetricGroups.UnregisteredTaskMetricGroup taskMetrics =
                new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(
                            OperatorID id, String name, Map<String, String> variables) {
                        return operatorMetrics;
                    }
                };
        try (MockEnvironment env =
                        new MockEnvironmentBuilder().setMetricGroup(taskMetrics).build();
                OneInputStreamOperatorTestHarness<String, ClickRecord> harness =
                        new OneInputStreamOperatorTestHarness<>(
                                new ProcessOperator<>(new ParseClicksFunction()), env)) {
            harness.open();
            for (String record : GOOD) {
                harness.processElement(record, 1);
            }
            for (String record : BAD.keySet()) {
                harness.processElement(record, 2);
            }
            harness.processElement(GOOD.get(0), 3);

            Counter accepted = (Counter) operatorMetrics.get(ParseClicksFunction.ACCEPTED_COUNTER);
            Counter rejected = (Counter) operatorMetrics.get(ParseClicksFunction.REJECTED_COUNTER);
            assertThat(accepted).as("accepted counter registered").isNotNull();
            assertThat(rejected).as("rejected counter registered").isNotNull();
            assertThat(accepted.getCount()).isEqualTo(GOOD.size() + 1);
            assertThat(rejected.getCount()).isEqualTo(BAD.size());
            assertThat(accepted.getCount() + rejected.getCount())
                    .isEqualTo(GOOD.size() + BAD.size() + 1);
            assertThat(harness.extractOutputValues()).hasSize(GOOD.size() + 1);
            assertThat(deadLetters(harness))
                    .hasSize(BAD.size())
                    .allSatisfy(d -> assertThat(d.sourceTopic()).isEqualTo("clicks"));
        }
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        ParseClicksFunction copy =
                InstantiationUtil.clone(
                        new ParseClicksFunction("clicks-eu"), getClass().getClassLoader());
        OneInputStreamOperatorTestHarness<String, ClickRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(copy);
        harness.processElement("{\"user\": 1, \"item\": 2, \"ts\": 3}", 0);
        harness.processElement("{}", 0);
        assertThat(harness.extractOutputValues()).containsExactly(new ClickRecord(1, 2, 3, null));
        assertThat(deadLetters(harness))
                .extracting(DeadLetter::sourceTopic, DeadLetter::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("clicks-eu", "missing user id"));
        harness.close();
        assertThatThrownBy(() -> new ParseClicksFunction(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsTravelAsPojosNotKryo() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeInformation<ClickRecord> clicks = TypeInformation.of(ClickRecord.class);
        assertThat(clicks).isInstanceOf(PojoTypeInfo.class);
        assertThat(ParseClicksFunction.DEAD_LETTERS.getTypeInfo()).isInstanceOf(PojoTypeInfo.class);

        TypeSerializer<ClickRecord> serializer = clicks.createSerializer(config);
        for (ClickRecord r : PARSED) {
            DataOutputSerializer bytes = new DataOutputSerializer(64);
            serializer.serialize(r, bytes);
            assertThat(serializer.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer())))
                    .isEqualTo(r);
        }
        TypeSerializer<DeadLetter> deadSerializer =
                ParseClicksFunction.DEAD_LETTERS.getTypeInfo().createSerializer(config);
        DeadLetter d = new DeadLetter("clicks", "{", "not JSON", 7);
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        deadSerializer.serialize(d, bytes);
        assertThat(deadSerializer.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer())))
                .isEqualTo(d);
    }

    private static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<String, ClickRecord> harness) {
        var side = harness.getSideOutput(ParseClicksFunction.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
