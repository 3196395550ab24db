package org.coea.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StageMetricsTest {
    @Test
    void serialisesFlatJsonWithFigures() {
        String json =
                StageMetrics.builder("ingest")
                        .rowsIn(10)
                        .rowsOut(9)
                        .seconds(1.23456)
                        .put("accepted", 9L)
                        .put("rejected", 1L)
                        .put("tables", Map.of("events", Map.of("read", 10)))
                        .build()
                        .toJson();
        Map<String, Object> back = StageMetrics.parseJson(json);
        assertThat(back)
                .containsEntry("stage", "ingest")
                .containsEntry("rows_in", 10)
                .containsEntry("rows_out", 9)
                .containsEntry("seconds", 1.235)
                .containsEntry("accepted", 9)
                .containsEntry("rejected", 1);
        assertThat(back.get("tables")).isEqualTo(Map.of("events", Map.of("read", 10)));
    }
}
