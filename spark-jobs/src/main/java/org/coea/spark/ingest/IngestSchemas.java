package org.coea.spark.ingest;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Schemas of the warehouse tables that ingest writes (documented in {@code docs/data-formats.md})
 * and of the intermediate parsed rows, which carry the record's origin and a reject reason.
 */
public final class IngestSchemas {
    private IngestSchemas() {}

    /** {@code events}: user_id, item_id, ts (Unix seconds, UTC), event_type, strength. */
    public static final StructType EVENTS =
            new StructType(
                    new StructField[] {
                        createStructField("user_id", LongType, false),
                        createStructField("item_id", LongType, false),
                        createStructField("ts", LongType, false),
                        createStructField("event_type", StringType, false),
                        createStructField("strength", DoubleType, false)
                    });

    /** {@code items}: item_id, title, categories (category ids). */
    public static final StructType ITEMS =
            new StructType(
                    new StructField[] {
                        createStructField("item_id", LongType, false),
                        createStructField("title", StringType, false),
                        createStructField("categories", createArrayType(IntegerType, false), false)
                    });

    /** {@code users}: user_id, features (sparse field name to value). */
    public static final StructType USERS =
            new StructType(
                    new StructField[] {
                        createStructField("user_id", LongType, false),
                        createStructField(
                                "features", createMapType(StringType, StringType, false), false)
                    });

    /** {@code categories}: category_id, name, click_volume, long_tail. */
    public static final StructType CATEGORIES =
            new StructType(
                    new StructField[] {
                        createStructField("category_id", IntegerType, false),
                        createStructField("name", StringType, false),
                        createStructField("click_volume", LongType, false),
                        createStructField("long_tail", BooleanType, false)
                    });

    /** {@code rejects}: input table, file, line (1-based; Parquet: row), raw record, reason. */
    public static final StructType REJECTS =
            new StructType(
                    new StructField[] {
                        createStructField("input", StringType, false),
                        createStructField("file", StringType, false),
                        createStructField("line", LongType, false),
                        createStructField("record", StringType, true),
                        createStructField("reason", StringType, false)
                    });

    /** Parsed events: the events columns (null when rejected) plus origin and reason. */
    public static final StructType PARSED_EVENTS = withOrigin(EVENTS);

    /**
     * Parsed items: item_id, title and category names (null when rejected) plus origin and reason.
     */
    public static final StructType PARSED_ITEMS =
            withOrigin(
                    new StructType(
                            new StructField[] {
                                createStructField("item_id", LongType, true),
                                createStructField("title", StringType, true),
                                createStructField(
                                        "category_names", createArrayType(StringType, false), true)
                            }));

    /** Parsed users: the users columns (null when rejected) plus origin and reason. */
    public static final StructType PARSED_USERS = withOrigin(USERS);

    /** The columns a parsed row adds to its table's columns. */
    public static final List<String> ORIGIN = List.of("file", "line", "record", "reason");

    private static StructType withOrigin(StructType table) {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : table.fields()) {
            fields.add(createStructField(f.name(), f.dataType(), true));
        }
        fields.add(createStructField("file", StringType, false));
        fields.add(createStructField("line", LongType, false));
        fields.add(createStructField("record", StringType, true));
        fields.add(createStructField("reason", StringType, true));
        return new StructType(fields.toArray(new StructField[0]));
    }

    /** Raw records kept in rejects are cut to this many characters. */
    static final int MAX_RECORD_CHARS = 1000;

    static String clip(String record) {
        return record == null || record.length() <= MAX_RECORD_CHARS
                ? record
                : record.substring(0, MAX_RECORD_CHARS) + "...";
    }
}
