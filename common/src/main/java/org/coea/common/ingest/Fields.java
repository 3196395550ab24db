package org.coea.common.ingest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Field readers shared by every parser; each throws {@link BadField} with a reject reason. */
public final class Fields {
    /** Timestamps must fall before 2100-01-01T00:00:00Z. */
    public static final long MAX_EPOCH_SECONDS = 4_102_444_800L;

    /** Integers at or above this are read as epoch milliseconds, below as epoch seconds. */
    public static final long MILLIS_THRESHOLD = 100_000_000_000L;

    private static final DateTimeFormatter SPACE_SEPARATED =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private Fields() {}

    /** A field that could not be read; its message is the reject reason. */
    public static final class BadField extends Exception {
        BadField(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads a non-negative 64-bit id. */
    public static long id(String what, String text) throws BadField {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new BadField("missing " + what);
        }
        try {
            long v = Long.parseLong(t);
            if (v < 0) {
                throw new BadField("negative " + what + " '" + t + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadField("non-numeric " + what + " '" + t + "'");
        }
    }

    /** Reads a finite number. */
    public static double number(String what, String text) throws BadField {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new BadField("missing " + what);
        }
        try {
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw new BadField("non-finite " + what + " '" + t + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadField("non-numeric " + what + " '" + t + "'");
        }
    }

    /**
     * Reads a timestamp as Unix epoch seconds (UTC): an integer (seconds, or milliseconds when at
     * or above 10^11), an ISO-8601 instant ({@code 2025-04-02T10:00:00Z}), or a local date-time
     * read as UTC ({@code 2025-04-02 10:00:00[.fff]} or with {@code T}).
     */
    public static long timestamp(String text) throws BadField {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new BadField("missing timestamp");
        }
        long seconds;
        if (t.chars().allMatch(c -> c >= '0' && c <= '9') || t.startsWith("-")) {
            try {
                long v = Long.parseLong(t);
                seconds = v >= MILLIS_THRESHOLD ? Math.floorDiv(v, 1000L) : v;
            } catch (NumberFormatException e) {
                throw new BadField("bad timestamp '" + t + "'");
            }
        } else {
            try {
                if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                    seconds =
                            Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(t))
                                    .getEpochSecond();
                } else {
                    seconds = LocalDateTime.parse(t, SPACE_SEPARATED).toEpochSecond(ZoneOffset.UTC);
                }
            } catch (DateTimeParseException e) {
                throw new BadField("bad timestamp '" + t + "'");
            }
        }
        if (seconds < 0 || seconds >= MAX_EPOCH_SECONDS) {
            throw new BadField("timestamp out of range '" + t + "'");
        }
        return seconds;
    }
}
