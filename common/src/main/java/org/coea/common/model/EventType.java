package org.coea.common.model;

import java.util.Locale;

/** The kind of a behaviour event: the user clicked the item, or it was only shown to the user. */
public enum EventType {
    CLICK,
    EXPOSURE;

    /** The lower-case name stored in the warehouse and on topics. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value when it is neither click nor exposure
     */
    public static EventType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "click":
                return CLICK;
            case "exposure":
                return EXPOSURE;
            default:
                throw new IllegalArgumentException(
                        "unknown event type '" + text + "' (expected click or exposure)");
        }
    }
}
