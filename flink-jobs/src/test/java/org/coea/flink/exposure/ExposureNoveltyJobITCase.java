package org.coea.flink.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.coea.common.exposure.NewItemExposure;
import org.coea.common.exposure.NewItemExposure.DayFigure;
import org.coea.flink.deadletter.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 7D-NIEP on a MiniCluster (parallelism 2) against the reference computation in common. */
class ExposureNoveltyJobITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void dailyFiguresMatchTheReference() throws Exception {
        Random random = new Random(17);
        long start = 1_743_552_000L;
        List<NewItemExposure.Exposure> exposures = new ArrayList<>();
        List<String> records = new ArrayList<>();
        long clock = start;
        for (int i = 0; i < 4000; i++) {
            clock += random.nextInt(900); // ~ 21 days in all
            long ts = clock - random.nextInt(600); // out of order within the 1 h bound
            long item = random.nextInt(10) < 7 ? random.nextInt(30) : 30 + random.nextInt(400);
            exposures.add(new NewItemExposure.Exposure(item, ts));
            records.add(
                    "{\"user\": "
                            + random.nextInt(50)
                            + ", \"item\": "
                            + item
                            + ", \"ts\": "
                            + ts
                            + "}");
        }
        records.add(7, "{\"user\": 1}");
        records.add(100, "{\"user\": 1, \"item\": 2, \"ts\": \"yesterday\"}");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ExposureNoveltyJob.Outputs out =
                ExposureNoveltyJob.build(env.fromData(records), "exposures", Duration.ofHours(1));
        var figures = out.figures().collectAsync();
        var dead = out.deadLetters().collectAsync();
        env.execute("exposure-test");

        List<DayFigure> actual = drain(figures);
        actual.sort(Comparator.comparingLong(DayFigure::day));
        List<DayFigure> expected = NewItemExposure.compute(exposures);
        assertThat(expected).hasSizeGreaterThan(15);
        assertThat(expected.stream().mapToDouble(DayFigure::niep).distinct().count())
                .as("the data exercise different figures")
                .isGreaterThan(5);
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(drain(dead))
                .extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("missing item id", "bad timestamp 'yesterday'");
        assertThat(ExposureNoveltyJob.render(new DayFigure(20_180, 4, 1)))
                .isEqualTo(
                        "{\"day\":\"2025-04-02\",\"exposures\":4,\"new_exposures\":1,\"niep\":0.25}");
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
