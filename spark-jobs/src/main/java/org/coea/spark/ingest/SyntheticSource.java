package org.coea.spark.ingest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.ingest.Parsed;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.Item;
import org.coea.common.synthetic.SyntheticGenerator;
import org.coea.common.synthetic.SyntheticSpec;
import org.coea.spark.ingest.TextFiles.NumberedLine;

/**
 * Runs the seeded synthetic generator in parallel over user-id ranges. Each partition builds the
 * generator once; the output does not depend on the partitioning.
 */
final class SyntheticSource {
    /** Users per partition of the generator. */
    private static final long USERS_PER_PARTITION = 20_000;

    private static final String ORIGIN = "synthetic";

    private SyntheticSource() {}

    static ParsedInputs read(SparkSession spark, SyntheticSpec spec) {
        int minPartitions = spark.sparkContext().defaultParallelism();
        int partitions =
                (int)
                        Math.max(
                                minPartitions,
                                (spec.users() + USERS_PER_PARTITION - 1) / USERS_PER_PARTITION);
        Dataset<Long> userIds = spark.range(0, spec.users(), 1, partitions).as(Encoders.LONG());
        Dataset<Long> itemIds =
                spark.range(
                                0,
                                spec.items(),
                                1,
                                Math.max(1, Math.min(partitions, spec.items() / 10_000 + 1)))
                        .as(Encoders.LONG());

        MapPartitionsFunction<Long, Row> events =
                ids -> {
                    SyntheticGenerator g = new SyntheticGenerator(spec);
                    return flatMap(
                            ids,
                            u -> {
                                List<Row> rows = new ArrayList<>();
                                long n = 0;
                                for (BehaviorEvent e : g.userEvents(u)) {
                                    rows.add(
                                            MovieLensSource.eventRow(
                                                    Parsed.ok(e),
                                                    new NumberedLine(
                                                            ORIGIN, u * 100_000 + n++, null)));
                                }
                                return rows;
                            });
                };
        MapPartitionsFunction<Long, Row> items =
                ids -> {
                    SyntheticGenerator g = new SyntheticGenerator(spec);
                    return flatMap(
                            ids,
                            i -> {
                                Item item = g.item(i);
                                return List.of(
                                        MovieLensSource.itemRow(
                                                Parsed.ok(item),
                                                new NumberedLine(ORIGIN, i + 1, null)));
                            });
                };
        MapPartitionsFunction<Long, Row> users =
                ids -> {
                    SyntheticGenerator g = new SyntheticGenerator(spec);
                    return flatMap(
                            ids,
                            u ->
                                    List.of(
                                            MovieLensSource.userRow(
                                                    Parsed.ok(g.userFeatures(u)),
                                                    new NumberedLine(ORIGIN, u + 1, null))));
                };
        return new ParsedInputs(
                "synthetic",
                userIds.mapPartitions(events, Encoders.row(IngestSchemas.PARSED_EVENTS)),
                itemIds.mapPartitions(items, Encoders.row(IngestSchemas.PARSED_ITEMS)),
                userIds.mapPartitions(users, Encoders.row(IngestSchemas.PARSED_USERS)));
    }

    private interface Expand extends java.io.Serializable {
        List<Row> rows(long id);
    }

    private static Iterator<Row> flatMap(Iterator<Long> ids, Expand expand) {
        return new Iterator<>() {
            private Iterator<Row> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && ids.hasNext()) {
                    current = expand.rows(ids.next()).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
