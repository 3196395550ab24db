package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingLogTest {
    @Test
    void aRecordPrintsAsOneLineWithItsExtrasInOrder() {
        StepRecord record =
                StepRecord.of(12, 0.69314718, 2e-5, 1.23456789)
                        .with("chosen_reward", 0.25)
                        .with("rejected_reward", -0.125)
                        .with("margin", 0.375)
                        .with("accuracy", 0.75)
                        .with("kl", 1.5e-7);
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(record.format())
                    .isEqualTo(
                            "step=12 loss=0.693147 lr=2.000e-05 grad_norm=1.2346"
                                    + " chosen_reward=0.250000 rejected_reward=-0.125000"
                                    + " margin=0.375000 accuracy=0.750000 kl=1.50000e-07");
        } finally {
            Locale.setDefault(before);
        }
        assertThat(record.toString()).isEqualTo(record.format()).doesNotContain("\n");
        assertThat(record.extras().keySet())
                .containsExactly("chosen_reward", "rejected_reward", "margin", "accuracy", "kl");
        assertThat(record.extra("margin")).isEqualTo(0.375);
        assertThat(record.extra("missing")).isNaN();
    }

    @Test
    void withReplacesAFigureAndLeavesTheOriginalAlone() {
        StepRecord base = StepRecord.of(1, 2.0, 0.1, Double.NaN).with("margin", 1);
        StepRecord replaced = base.with("margin", 2);
        assertThat(base.extra("margin")).isEqualTo(1.0);
        assertThat(replaced.extra("margin")).isEqualTo(2.0);
        assertThat(replaced.format()).endsWith("grad_norm=NaN margin=2.00000");
        assertThatThrownBy(() -> replaced.extras().put("x", 1.0))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void extraNamesAreLowerCaseWordsAndNotTheFixedFigures() {
        StepRecord record = StepRecord.of(0, 1, 1, 1);
        for (String bad : List.of("", "Margin", "a b", "x=1", "loss", "grad_norm", "_x", "a__b")) {
            assertThatThrownBy(() -> record.with(bad, 1))
                    .as("name '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lower-case words");
        }
        assertThat(record.with("rewards.chosen", 1).with("kl_2", 2).extras()).hasSize(2);
        assertThatThrownBy(() -> new StepRecord(0, 1, 1, 1, Map.of("ok", 1.0, "Bad", 2.0)))
                .hasMessageContaining("'Bad'");
    }

    @Test
    void theLogCollectsInOrderAndPrintsEachRecord() {
        List<String> lines = new ArrayList<>();
        TrainingLog log = new TrainingLog(lines::add);
        assertThat(log.last()).isEmpty();
        StepRecord first = StepRecord.of(0, 3.0, 0.01, 2.0);
        StepRecord second = StepRecord.of(1, 2.0, 0.02, 1.0).with("accuracy", 0.5);
        log.add(first);
        List<StepRecord> snapshot = log.records();
        log.add(second);

        assertThat(log.records()).containsExactly(first, second);
        assertThat(snapshot).as("an earlier snapshot does not grow").containsExactly(first);
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.last()).contains(second);
        assertThat(lines).containsExactly(first.format(), second.format());
        assertThatThrownBy(() -> log.records().add(first))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
