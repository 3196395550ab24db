package org.coea.common.model;

import java.util.Objects;

/**
 * One click or exposure: who, what, when (Unix epoch seconds, UTC) and how strongly.
 *
 * <p>The click strength is the paper's n_{u,i} (Eq. 3): a click count in logs, the 1-5 rating for
 * MovieLens, 0 for an exposure that was not clicked.
 */
public record BehaviorEvent(
        long userId, long itemId, long epochSeconds, EventType type, double strength) {

    /** Validates the fields. */
    public BehaviorEvent {
        Objects.requireNonNull(type, "type");
        if (epochSeconds < 0) {
            throw new IllegalArgumentException("negative timestamp " + epochSeconds);
        }
        if (!Double.isFinite(strength) || strength < 0) {
            throw new IllegalArgumentException("click strength must be finite and >= 0");
        }
    }
}
