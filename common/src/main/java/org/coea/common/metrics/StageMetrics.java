package org.coea.common.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one stage run did: rows in and out, seconds, and the stage's own figures. Serialised as
 * {@code {"stage": ..., "rows_in": ..., "rows_out": ..., "seconds": ..., <figures>}} so schedulers
 * and monitoring read one flat JSON object per stage.
 */
public final class StageMetrics {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String stage;
    private final long rowsIn;
    private final long rowsOut;
    private final double seconds;
    private final Map<String, Object> figures;

    private StageMetrics(
            String stage, long rowsIn, long rowsOut, double seconds, Map<String, Object> figures) {
        this.stage = stage;
        this.rowsIn = rowsIn;
        this.rowsOut = rowsOut;
        this.seconds = seconds;
        this.figures = Collections.unmodifiableMap(figures);
    }

    /** Starts the metrics of a stage. */
    public static Builder builder(String stage) {
        return new Builder(stage);
    }

    /** The stage name. */
    public String stage() {
        return stage;
    }

    /** Input rows. */
    public long rowsIn() {
        return rowsIn;
    }

    /** Output rows. */
    public long rowsOut() {
        return rowsOut;
    }

    /** Wall-clock seconds. */
    public double seconds() {
        return seconds;
    }

    /** The stage's own figures, in insertion order. */
    public Map<String, Object> figures() {
        return figures;
    }

    /** The JSON form. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage);
        m.put("rows_in", rowsIn);
        m.put("rows_out", rowsOut);
        m.put("seconds", Math.round(seconds * 1000) / 1000.0);
        m.putAll(figures);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics of " + stage + " are not serialisable", e);
        }
    }

    /** Reads the JSON form back into a map (for tests, {@code run} and the split stage). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseJson(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not a stage metrics document: " + e.getMessage(), e);
        }
    }

    /** Builds {@link StageMetrics}. */
    public static final class Builder {
        private final String stage;
        private long rowsIn;
        private long rowsOut;
        private double seconds;
        private final Map<String, Object> figures = new LinkedHashMap<>();

        Builder(String stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
        }

        /** Sets the input rows. */
        public Builder rowsIn(long rows) {
            this.rowsIn = rows;
            return this;
        }

        /** Sets the output rows. */
        public Builder rowsOut(long rows) {
            this.rowsOut = rows;
            return this;
        }

        /** Sets the wall-clock seconds. */
        public Builder seconds(double seconds) {
            this.seconds = seconds;
            return this;
        }

        /** Adds a figure (a number, text, or a map of them). */
        public Builder put(String name, Object value) {
            figures.put(name, value);
            return this;
        }

        /** Finishes the metrics. */
        public StageMetrics build() {
            return new StageMetrics(stage, rowsIn, rowsOut, seconds, new LinkedHashMap<>(figures));
        }
    }
}
