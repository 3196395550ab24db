package org.coea.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Collects the {@link StepRecord}s of a training run in order and, optionally, prints each as one
 * line when it arrives.
 */
public final class TrainingLog {
    private final List<StepRecord> records = new ArrayList<>();
    private final Consumer<String> printer;

    /** A log that only collects. */
    public TrainingLog() {
        this(line -> {});
    }

    /** A log that collects and hands each record's {@link StepRecord#format() line} to printer. */
    public TrainingLog(Consumer<String> printer) {
        this.printer = Objects.requireNonNull(printer, "printer");
    }

    /** Appends a record and prints its line. */
    public void add(StepRecord record) {
        records.add(Objects.requireNonNull(record, "record"));
        printer.accept(record.format());
    }

    /** The records so far, in order, as an unmodifiable snapshot. */
    public List<StepRecord> records() {
        return Collections.unmodifiableList(new ArrayList<>(records));
    }

    /** The latest record, if any. */
    public Optional<StepRecord> last() {
        return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
    }

    /** The number of records. */
    public int size() {
        return records.size();
    }
}
