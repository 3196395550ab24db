package org.coea.common.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Splits one CSV line (RFC 4180 quoting, comma-separated) into fields with Apache Commons CSV.
 * Lines are parsed one at a time so every reject keeps its file line number; a quoted field may
 * therefore not span lines.
 */
public final class CsvLines {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().get();

    private CsvLines() {}

    /** The fields of a line, or the reason it is not a single CSV record. */
    public static Parsed<List<String>> fields(String line) {
        try (CSVParser parser = CSVParser.parse(line, FORMAT)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                return Parsed.reject("not one CSV record (" + records.size() + " found)");
            }
            List<String> out = new ArrayList<>();
            records.get(0).forEach(out::add);
            return Parsed.ok(out);
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            return Parsed.reject("malformed CSV: " + e.getMessage());
        }
    }
}
