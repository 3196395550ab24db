package org.coea.model.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The figures of one optimizer step: step, loss, learning rate, gradient norm and any extra named
 * figures a trainer adds (a DPO trainer: rewards, margin, accuracy, KL).
 *
 * <p>{@link #format()} prints it as one line of {@code key=value} pairs, for example {@code step=12
 * loss=0.693147 lr=2.000e-05 grad_norm=1.2346 margin=0.104}.
 *
 * @param step the optimizer step the figures belong to
 * @param loss the training loss of the step (over all its micro-batches)
 * @param learningRate the learning rate the step used
 * @param gradNorm the global gradient norm before clipping; NaN when not measured
 * @param extras further figures by name, in insertion order; names are lower-case words joined by
 *     {@code _} or {@code .}
 */
public record StepRecord(
        long step, double loss, double learningRate, double gradNorm, Map<String, Double> extras) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*([._][a-z0-9]+)*");

    /** Validates the extras' names and keeps an unmodifiable, ordered copy of them. */
    public StepRecord {
        Objects.requireNonNull(extras, "extras");
        Map<String, Double> copy = new LinkedHashMap<>();
        extras.forEach(
                (name, value) -> {
                    requireName(name);
                    copy.put(name, Objects.requireNonNull(value, name));
                });
        extras = Collections.unmodifiableMap(copy);
    }

    /** A record without extra figures. */
    public static StepRecord of(long step, double loss, double learningRate, double gradNorm) {
        return new StepRecord(step, loss, learningRate, gradNorm, Map.of());
    }

    /** This record with one more extra figure (replacing one of the same name). */
    public StepRecord with(String name, double value) {
        Map<String, Double> more = new LinkedHashMap<>(extras);
        more.put(name, value);
        return new StepRecord(step, loss, learningRate, gradNorm, more);
    }

    /** An extra figure, or NaN when the record has none of that name. */
    public double extra(String name) {
        return extras.getOrDefault(name, Double.NaN);
    }

    /** One line of space-separated {@code key=value} pairs, the same on every locale. */
    public String format() {
        StringBuilder line =
                new StringBuilder()
                        .append("step=")
                        .append(step)
                        .append(" loss=")
                        .append(String.format(Locale.ROOT, "%.6g", loss))
                        .append(" lr=")
                        .append(String.format(Locale.ROOT, "%.3e", learningRate))
                        .append(" grad_norm=")
                        .append(String.format(Locale.ROOT, "%.5g", gradNorm));
        extras.forEach(
                (name, value) ->
                        line.append(' ')
                                .append(name)
                                .append('=')
                                .append(String.format(Locale.ROOT, "%.6g", value)));
        return line.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "figure name");
        if (!NAME.matcher(name).matches()
                || Map.of("step", 0, "loss", 0, "lr", 0, "grad_norm", 0).containsKey(name)) {
            throw new IllegalArgumentException(
                    "extra figure names are lower-case words joined by '_' or '.', other than"
                            + " step, loss, lr and grad_norm; got '"
                            + name
                            + "'");
        }
    }
}
