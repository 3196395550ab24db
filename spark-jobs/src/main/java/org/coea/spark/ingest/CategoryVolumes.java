package org.coea.spark.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Click volume per category: clicks on items of the category (an item counts for each). */
public final class CategoryVolumes {
    private CategoryVolumes() {}

    /**
     * Clicks per category id.
     *
     * @param events rows with {@code item_id} and {@code event_type}
     * @param items the {@code items} table
     * @param categories number of categories (ids 0..categories-1)
     */
    public static long[] clicksPerCategory(
            Dataset<Row> events, Dataset<Row> items, int categories) {
        Dataset<Row> itemCategories =
                items.select(col("item_id"), explode(col("categories")).as("category_id"));
        long[] volumes = new long[categories];
        for (Row r :
                events.filter(col("event_type").equalTo("click"))
                        .join(itemCategories, "item_id")
                        .groupBy("category_id")
                        .count()
                        .collectAsList()) {
            volumes[r.getInt(0)] = r.getLong(1);
        }
        return volumes;
    }
}
