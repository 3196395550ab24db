package org.coea.flink.deadletter;

import java.util.Objects;

/**
 * A record a job rejected, with where it came from, why, and when it was processed.
 *
 * @param sourceTopic the topic the record was read from
 * @param rawRecord the record as received
 * @param reason why it was rejected, e.g. {@code missing user id}
 * @param processingTimeMillis the operator's processing time when it was rejected (epoch millis)
 */
public record DeadLetter(
        String sourceTopic, String rawRecord, String reason, long processingTimeMillis) {

    /** Validates the fields. */
    public DeadLetter {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(rawRecord, "rawRecord");
        Objects.requireNonNull(reason, "reason");
    }
}
