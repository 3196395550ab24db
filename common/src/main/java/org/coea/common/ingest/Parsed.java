package org.coea.common.ingest;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of parsing one record: a value, or the reason it was rejected.
 *
 * @param <T> the value type
 */
public final class Parsed<T> {
    private final T value;
    private final String reason;

    private Parsed(T value, String reason) {
        this.value = value;
        this.reason = reason;
    }

    /** A successfully parsed value. */
    public static <T> Parsed<T> ok(T value) {
        return new Parsed<>(Objects.requireNonNull(value, "value"), null);
    }

    /** A rejected record with a human-readable reason. */
    public static <T> Parsed<T> reject(String reason) {
        return new Parsed<>(null, Objects.requireNonNull(reason, "reason"));
    }

    /** Whether the record parsed. */
    public boolean isOk() {
        return reason == null;
    }

    /** The value; only when {@link #isOk()}. */
    public T value() {
        if (reason != null) {
            throw new IllegalStateException("rejected: " + reason);
        }
        return value;
    }

    /** The reject reason; only when not {@link #isOk()}. */
    public String reason() {
        if (reason == null) {
            throw new IllegalStateException("not rejected");
        }
        return reason;
    }

    /** Maps the value, keeping a rejection. */
    public <R> Parsed<R> map(Function<T, R> f) {
        return isOk() ? ok(f.apply(value)) : reject(reason);
    }

    @Override
    public String toString() {
        return isOk() ? "ok(" + value + ")" : "reject(" + reason + ")";
    }
}
