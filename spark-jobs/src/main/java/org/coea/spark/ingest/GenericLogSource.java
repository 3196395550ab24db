package org.coea.spark.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.coea.common.ingest.CategoryMapping;
import org.coea.common.ingest.CsvLines;
import org.coea.common.ingest.GenericLogParsers;
import org.coea.common.ingest.Parsed;
import org.coea.spark.ingest.IngestOptions.LogFormat;
import org.coea.spark.ingest.TextFiles.NumberedLine;

/**
 * Reads generic click logs in CSV (UTF-8, header line, RFC 4180) or Parquet; the schema is in
 * {@code docs/data-formats.md}. CSV rejects carry the file line number, Parquet rejects the 1-based
 * row number within the file.
 */
final class GenericLogSource {
    private GenericLogSource() {}

    static ParsedInputs read(SparkSession spark, IngestOptions o) {
        String clicks = o.clicks().orElseThrow();
        String items = o.items().orElseThrow();
        List<String> clickFiles = TextFiles.requireFiles(spark, clicks, "click log");
        List<String> itemFiles = TextFiles.requireFiles(spark, items, "items file");
        LogFormat format = resolve(o.clicksFormat(), clickFiles.get(0));
        Table events =
                table(spark, format, clickFiles, "click log", GenericLogParsers.EVENT_COLUMNS);
        Table itemTable =
                table(spark, format, itemFiles, "items file", GenericLogParsers.ITEM_COLUMNS);
        CategoryMapping mapping = o.categoryMapping();

        JavaRDD<Row> eventRows =
                events.records()
                        .map(
                                r -> {
                                    if (r.reason != null) {
                                        return reject(IngestSchemas.PARSED_EVENTS.size(), r);
                                    }
                                    return MovieLensSource.eventRow(
                                            GenericLogParsers.event(
                                                    r.field("user_id"),
                                                    r.field("item_id"),
                                                    r.field("ts"),
                                                    r.field("event_type"),
                                                    r.field("strength")),
                                            r.origin());
                                });
        JavaRDD<Row> itemRows =
                itemTable
                        .records()
                        .map(
                                r ->
                                        r.reason != null
                                                ? reject(IngestSchemas.PARSED_ITEMS.size(), r)
                                                : MovieLensSource.itemRow(
                                                        GenericLogParsers.item(
                                                                r.field("item_id"),
                                                                r.field("title"),
                                                                r.field("categories"),
                                                                mapping),
                                                        r.origin()));
        Dataset<Row> users;
        if (o.users().isPresent()) {
            List<String> userFiles = TextFiles.requireFiles(spark, o.users().get(), "users file");
            Table userTable = table(spark, format, userFiles, "users file", List.of("user_id"));
            JavaRDD<Row> userRows =
                    userTable
                            .records()
                            .map(
                                    r -> {
                                        if (r.reason != null) {
                                            return reject(IngestSchemas.PARSED_USERS.size(), r);
                                        }
                                        Map<String, String> others = new LinkedHashMap<>(r.fields);
                                        String id = others.remove("user_id");
                                        return MovieLensSource.userRow(
                                                GenericLogParsers.user(id, others), r.origin());
                                    });
            users = spark.createDataFrame(userRows, IngestSchemas.PARSED_USERS);
        } else {
            users = spark.createDataFrame(List.of(), IngestSchemas.PARSED_USERS);
        }
        return new ParsedInputs(
                format == LogFormat.CSV ? "clicks-csv" : "clicks-parquet",
                spark.createDataFrame(eventRows, IngestSchemas.PARSED_EVENTS),
                spark.createDataFrame(itemRows, IngestSchemas.PARSED_ITEMS),
                users);
    }

    private static LogFormat resolve(LogFormat format, String firstFile) {
        if (format != LogFormat.AUTO) {
            return format;
        }
        String name = firstFile.toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
            return LogFormat.CSV;
        }
        if (name.endsWith(".parquet")) {
            return LogFormat.PARQUET;
        }
        throw new IllegalArgumentException(
                "cannot tell the format of "
                        + firstFile
                        + " from its name: set --clicks.format csv or parquet");
    }

    /** A record of a generic table: column values as text, or a reason it could not be split. */
    static final class Record implements java.io.Serializable {
        final String file;
        final long line;
        final String text;
        final Map<String, String> fields;
        final String reason;

        Record(String file, long line, String text, Map<String, String> fields, String reason) {
            this.file = file;
            this.line = line;
            this.text = text;
            this.fields = fields;
            this.reason = reason;
        }

        String field(String name) {
            return fields.get(name);
        }

        NumberedLine origin() {
            return new NumberedLine(file, line, text);
        }
    }

    /** The records of one logical table, whatever the file format. */
    interface Table {
        JavaRDD<Record> records();
    }

    private static Table table(
            SparkSession spark,
            LogFormat format,
            List<String> files,
            String what,
            List<String> required) {
        return format == LogFormat.CSV
                ? csvTable(spark, files, what, required)
                : parquetTable(spark, files, what, required);
    }

    private static Table csvTable(
            SparkSession spark, List<String> files, String what, List<String> required) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String file : files) {
            Parsed<List<String>> header =
                    CsvLines.fields(TextFiles.firstLine(spark, file, StandardCharsets.UTF_8));
            List<String> names = new ArrayList<>();
            if (header.isOk()) {
                header.value().forEach(h -> names.add(h.trim().toLowerCase(Locale.ROOT)));
            }
            for (String c : required) {
                if (!names.contains(c)) {
                    throw new IllegalArgumentException(
                            what
                                    + " "
                                    + file
                                    + ": header has no column '"
                                    + c
                                    + "' (header: "
                                    + names
                                    + ")");
                }
            }
            headers.put(file, names);
        }
        JavaRDD<NumberedLine> lines = TextFiles.lines(spark, files, StandardCharsets.UTF_8);
        return () ->
                lines.filter(l -> l.line() > 1)
                        .map(
                                l -> {
                                    List<String> names = headers.get(l.file());
                                    Parsed<List<String>> p = CsvLines.fields(l.text());
                                    if (!p.isOk()) {
                                        return new Record(
                                                l.file(), l.line(), l.text(), Map.of(), p.reason());
                                    }
                                    List<String> values = p.value();
                                    if (values.size() != names.size()) {
                                        return new Record(
                                                l.file(),
                                                l.line(),
                                                l.text(),
                                                Map.of(),
                                                "wrong field count: "
                                                        + values.size()
                                                        + " (expected "
                                                        + names.size()
                                                        + ")");
                                    }
                                    Map<String, String> fields = new LinkedHashMap<>();
                                    for (int i = 0; i < names.size(); i++) {
                                        fields.put(names.get(i), values.get(i));
                                    }
                                    return new Record(l.file(), l.line(), l.text(), fields, null);
                                });
    }

    private static Table parquetTable(
            SparkSession spark, List<String> files, String what, List<String> required) {
        Dataset<Row> df = spark.read().parquet(files.toArray(new String[0]));
        List<String> names = new ArrayList<>();
        List<Column> asText = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            names.add(name);
            Column c = col("`" + f.name() + "`");
            asText.add(
                    (f.dataType() instanceof ArrayType ? concat_ws("|", c) : c.cast("string"))
                            .as(name));
        }
        for (String c : required) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException(
                        what
                                + " "
                                + files.get(0)
                                + ": no column '"
                                + c
                                + "' (columns: "
                                + names
                                + ")");
            }
        }
        List<Column> select = new ArrayList<>(asText);
        select.add(col("_metadata.file_path").as("_file"));
        select.add(col("_metadata.row_index").plus(lit(1L)).as("_row"));
        select.add(to_json(struct(asText.toArray(new Column[0]))).as("_record"));
        Dataset<Row> text = df.select(select.toArray(new Column[0]));
        List<String> columns = List.copyOf(names);
        return () ->
                text.javaRDD()
                        .map(
                                row -> {
                                    Map<String, String> fields = new LinkedHashMap<>();
                                    for (int i = 0; i < columns.size(); i++) {
                                        fields.put(
                                                columns.get(i),
                                                row.isNullAt(i) ? null : row.getString(i));
                                    }
                                    int n = columns.size();
                                    return new Record(
                                            row.getString(n),
                                            row.getLong(n + 1),
                                            row.getString(n + 2),
                                            fields,
                                            null);
                                });
    }

    private static Row reject(int width, Record r) {
        Object[] values = new Object[width];
        values[width - 4] = r.file;
        values[width - 3] = r.line;
        values[width - 2] = IngestSchemas.clip(r.text);
        values[width - 1] = r.reason;
        return RowFactory.create(values);
    }
}
