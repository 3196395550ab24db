package org.coea.flink.shortterm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.sequence.SequenceRules;
import org.coea.flink.clicks.CategorizedClick;
import org.junit.jupiter.api.Test;

class ShortTermFunctionTest {
    private static final long HOUR = 3_600L;

    private static KeyedOneInputStreamOperatorTestHarness<Long, CategorizedClick, ShortTermUpdate>
            harness(int n, Duration ttl) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ShortTermFunction(n, ttl), CategorizedClick::userId, Types.LONG);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<Long, CategorizedClick, ShortTermUpdate> h,
            long user,
            long item,
            long ts,
            int... cats)
            throws Exception {
        h.processElement(new CategorizedClick(user, item, ts, cats), ts * 1000L);
    }

    private static List<Integer> set(ShortTermUpdate u) {
        return java.util.Arrays.stream(u.set()).boxed().toList();
    }

    @Test
    void emitsOnlyWhenTheSetChangesAndKeepsTheLastNClicks() throws Exception {
        var h = harness(2, Duration.ofDays(1));
        send(h, 1, 10, 100, 3, 1); // {1,3}
        send(h, 1, 11, 101, 3); // window 10,11 -> {1,3}: unchanged
        send(h, 1, 12, 102, 5); // window 11,12 -> {3,5}
        send(h, 2, 10, 100, 3, 1); // another user: {1,3}
        send(h, 1, 13, 103, 5); // window 12,13 -> {5}
        List<ShortTermUpdate> out = h.extractOutputValues();
        assertThat(out).extracting(ShortTermUpdate::userId).containsExactly(1L, 1L, 2L, 1L);
        assertThat(out)
                .extracting(ShortTermFunctionTest::set)
                .containsExactly(List.of(1, 3), List.of(3, 5), List.of(1, 3), List.of(5));
        assertThat(out.get(0).categories()).containsExactly(3, 1);
        assertThat(out.get(1).hash()).isEqualTo(CategorySetHash.hex(List.of(3, 5)));
        assertThat(out.get(1).epochSeconds()).isEqualTo(102);
        assertThat(h.numKeyedStateEntries()).as("window + expiry per user").isEqualTo(4);
        assertThat(h.numEventTimeTimers()).as("one expiry timer per user").isEqualTo(2);
        h.close();
    }

    @Test
    void outOfOrderAndLateClicksEndInTheBatchWindow() throws Exception {
        Random random = new Random(3);
        for (int round = 0; round < 20; round++) {
            var h = harness(4, Duration.ofDays(30));
            List<SequenceRules.Click> batch = new ArrayList<>();
            List<CategorizedClick> arrivals = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                int[] cats = {random.nextInt(6), random.nextInt(6)};
                long ts = 1_000 + i * 10L;
                arrivals.add(new CategorizedClick(7, 100 + i, ts, cats));
                batch.add(new SequenceRules.Click(ts, 100 + i, 5.0, cats));
            }
            Collections.shuffle(arrivals, random);
            h.processWatermark(new Watermark(1_050 * 1000L)); // a third of them arrive late
            for (CategorizedClick c : arrivals) {
                h.processElement(c, c.epochSeconds() * 1000L);
            }
            List<ShortTermUpdate> out = h.extractOutputValues();
            int[] expected =
                    new SequenceRules(0, 100, 4, 0).build(batch).sequence().get().shortSet();
            int[] last = out.isEmpty() ? new int[0] : out.get(out.size() - 1).set();
            assertThat(last).as("round %d", round).containsExactly(expected);
            for (int i = 1; i < out.size(); i++) {
                assertThat(out.get(i).set())
                        .as("an update is only emitted on a change")
                        .isNotEqualTo(out.get(i - 1).set());
            }
            h.close();
        }
    }

    @Test
    void duplicateClicksChangeNothing() throws Exception {
        var h = harness(3, Duration.ofDays(1));
        send(h, 1, 10, 100, 1);
        send(h, 1, 11, 101, 2);
        send(h, 1, 10, 100, 1); // re-sent
        send(h, 1, 12, 102, 3);
        send(h, 1, 11, 101, 2); // re-sent
        send(h, 1, 13, 103, 1); // window 11,12,13 -> {1,2,3}: unchanged
        assertThat(h.extractOutputValues())
                .extracting(ShortTermFunctionTest::set)
                .containsExactly(List.of(1), List.of(1, 2), List.of(1, 2, 3));
        h.close();
    }

    @Test
    void theTtlClearsStateAndTimersAndTheNextClickStartsAFreshWindow() throws Exception {
        var h = harness(3, Duration.ofHours(1));
        send(h, 1, 10, 0, 1);
        send(h, 1, 11, HOUR / 2, 2); // newest click moves the expiry to 1.5 h
        send(h, 2, 10, 0, 4);
        assertThat(h.numEventTimeTimers()).isEqualTo(2);
        h.processWatermark(new Watermark(HOUR * 1000L)); // user 2 expires, user 1 does not
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        h.processWatermark(new Watermark(2 * HOUR * 1000L));
        assertThat(h.numKeyedStateEntries()).as("every window cleared").isZero();
        assertThat(h.numEventTimeTimers()).as("every timer gone").isZero();
        int before = h.extractOutputValues().size();

        send(h, 1, 12, 2 * HOUR + 1, 7);
        List<ShortTermUpdate> out = h.extractOutputValues();
        assertThat(out).hasSize(before + 1);
        assertThat(set(out.get(out.size() - 1))).as("no old clicks survive").containsExactly(7);

        send(h, 1, 13, HOUR / 4, 9); // older than the TTL behind the watermark: dropped
        assertThat(h.extractOutputValues()).hasSize(before + 1);
        h.close();
    }

    @Test
    void stateAndRecordsTravelAsPojosNotKryo() {
        for (Class<?> type :
                List.of(
                        CategorizedClick.class,
                        ShortTermUpdate.class,
                        org.coea.common.sequence.ShortTermWindow.Click.class)) {
            assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(type))
                    .as(type.getName())
                    .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        }
    }
}
