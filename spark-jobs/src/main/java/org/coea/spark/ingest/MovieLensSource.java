package org.coea.spark.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.coea.common.ingest.CategoryMapping;
import org.coea.common.ingest.MovieLensFormat;
import org.coea.common.ingest.MovieLensParsers;
import org.coea.common.ingest.Parsed;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.Item;
import org.coea.common.model.UserFeatures;
import org.coea.spark.SparkRows;
import org.coea.spark.ingest.TextFiles.NumberedLine;

/** Reads a GroupLens MovieLens directory (ML-1M or ML-100K layout, detected from file names). */
final class MovieLensSource {
    private MovieLensSource() {}

    static ParsedInputs read(SparkSession spark, String dir, CategoryMapping mapping) {
        TextFiles.requireFiles(spark, dir, "MovieLens directory");
        MovieLensFormat format =
                MovieLensFormat.detect(dir, name -> TextFiles.exists(spark, dir + "/" + name));
        List<String> ratings =
                TextFiles.requireFiles(spark, dir + "/" + format.ratingsFile(), "ratings file");
        List<String> movies =
                TextFiles.requireFiles(spark, dir + "/" + format.itemsFile(), "movies file");
        List<String> users =
                TextFiles.requireFiles(spark, dir + "/" + format.usersFile(), "users file");

        JavaRDD<Row> events =
                TextFiles.lines(spark, ratings, StandardCharsets.ISO_8859_1)
                        .map(l -> eventRow(MovieLensParsers.rating(format, l.text()), l));
        JavaRDD<Row> items =
                TextFiles.lines(spark, movies, StandardCharsets.ISO_8859_1)
                        .map(l -> itemRow(MovieLensParsers.movie(format, l.text(), mapping), l));
        JavaRDD<Row> userRows =
                TextFiles.lines(spark, users, StandardCharsets.ISO_8859_1)
                        .map(l -> userRow(MovieLensParsers.user(format, l.text()), l));
        return new ParsedInputs(
                format == MovieLensFormat.ML_1M ? "movielens-1m" : "movielens-100k",
                spark.createDataFrame(events, IngestSchemas.PARSED_EVENTS),
                spark.createDataFrame(items, IngestSchemas.PARSED_ITEMS),
                spark.createDataFrame(userRows, IngestSchemas.PARSED_USERS));
    }

    static Row eventRow(Parsed<BehaviorEvent> p, NumberedLine l) {
        if (!p.isOk()) {
            return RowFactory.create(
                    null,
                    null,
                    null,
                    null,
                    null,
                    l.file(),
                    l.line(),
                    IngestSchemas.clip(l.text()),
                    p.reason());
        }
        BehaviorEvent e = p.value();
        return RowFactory.create(
                e.userId(),
                e.itemId(),
                e.epochSeconds(),
                e.type().wireName(),
                e.strength(),
                l.file(),
                l.line(),
                IngestSchemas.clip(l.text()),
                null);
    }

    static Row itemRow(Parsed<Item> p, NumberedLine l) {
        if (!p.isOk()) {
            return RowFactory.create(
                    null, null, null, l.file(), l.line(), IngestSchemas.clip(l.text()), p.reason());
        }
        Item i = p.value();
        return RowFactory.create(
                i.itemId(),
                i.title(),
                SparkRows.array(i.categories()),
                l.file(),
                l.line(),
                IngestSchemas.clip(l.text()),
                null);
    }

    static Row userRow(Parsed<UserFeatures> p, NumberedLine l) {
        if (!p.isOk()) {
            return RowFactory.create(
                    null, null, l.file(), l.line(), IngestSchemas.clip(l.text()), p.reason());
        }
        UserFeatures u = p.value();
        return RowFactory.create(
                u.userId(),
                SparkRows.map(u.fields()),
                l.file(),
                l.line(),
                IngestSchemas.clip(l.text()),
                null);
    }
}
