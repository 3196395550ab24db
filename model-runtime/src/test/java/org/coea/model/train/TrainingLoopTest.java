package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    private static final long SEED = 42;
    private static final int BATCH = 32;

    @Test
    void accumulatedRunFitsTheRegressionAndMatchesTheDoubledBatchRun() {
        try (RegressionRun accumulated = RegressionRun.start(SEED, BATCH, 2);
                RegressionRun whole = RegressionRun.start(SEED, BATCH, 1)) {
            double initialLoss = accumulated.fullLoss();
            accumulated.train(RegressionRun.TOTAL_STEPS);
            whole.train(RegressionRun.TOTAL_STEPS);

            assertThat(initialLoss).as("the untrained loss").isGreaterThan(1.0);
            assertThat(accumulated.fullLoss()).as("loss after training").isLessThan(1e-4);
            List<StepRecord> records = accumulated.log().records();
            assertThat(records).hasSize(RegressionRun.TOTAL_STEPS);
            assertThat(records.get(0).gradNorm())
                    .as("early gradients exceed the clip norm, so clipping acted")
                    .isGreaterThan(RegressionRun.MAX_NORM);
            assertThat(records.get(0).learningRate()).isCloseTo(0.005, within(1e-9));

            for (String name : List.of("weight", "bias")) {
                float[] a = accumulated.values(name);
                float[] b = whole.values(name);
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) a[i])
                            .as("%s[%d]: two accumulated micro-batches vs one batch", name, i)
                            .isCloseTo(b[i], within(1e-6));
                }
            }
            List<StepRecord> wholeRecords = whole.log().records();
            for (int s = 0; s < records.size(); s++) {
                assertThat(records.get(s).loss())
                        .as("loss of step %d", s)
                        .isCloseTo(
                                wholeRecords.get(s).loss(),
                                within(1e-5 * Math.max(1, wholeRecords.get(s).loss())));
            }
        }
    }

    @Test
    void twoRunsWithTheSameSeedAreBitIdentical() {
        try (RegressionRun first = RegressionRun.start(SEED, BATCH, 2);
                RegressionRun second = RegressionRun.start(SEED, BATCH, 2);
                RegressionRun other = RegressionRun.start(SEED + 1, BATCH, 2)) {
            first.train(40);
            second.train(40);
            other.train(40);
            assertThat(second.values("weight")).isEqualTo(first.values("weight"));
            assertThat(second.values("bias")).isEqualTo(first.values("bias"));
            assertThat(second.log().records()).isEqualTo(first.log().records());
            assertThat(second.optimizerState()).isEqualTo(first.optimizerState());
            assertThat(other.values("weight"))
                    .as("another seed draws other weights and another data order")
                    .isNotEqualTo(first.values("weight"));
        }
    }

    @Test
    void resumingFromACheckpointContinuesBitIdentically(@TempDir Path dir) throws Exception {
        int interruptAt = 25;
        int end = 60;
        float[] weight;
        float[] bias;
        AdamWState state;
        List<StepRecord> records;
        try (RegressionRun uninterrupted = RegressionRun.start(SEED, BATCH, 2)) {
            uninterrupted.train(end);
            weight = uninterrupted.values("weight");
            bias = uninterrupted.values("bias");
            state = uninterrupted.optimizerState();
            records = uninterrupted.log().records();
        }
        Path checkpoint = dir.resolve("step-" + interruptAt);
        try (RegressionRun interrupted = RegressionRun.start(SEED, BATCH, 2)) {
            interrupted.train(interruptAt);
            interrupted.save(checkpoint);
        }
        try (RegressionRun resumed = RegressionRun.resume(checkpoint, SEED, BATCH, 2)) {
            resumed.train(end);
            assertThat(resumed.values("weight")).isEqualTo(weight);
            assertThat(resumed.values("bias")).isEqualTo(bias);
            assertThat(resumed.optimizerState()).isEqualTo(state);
            assertThat(resumed.log().records())
                    .as("the steps after the interruption")
                    .isEqualTo(records.subList(interruptAt, end));
        }
    }
}
