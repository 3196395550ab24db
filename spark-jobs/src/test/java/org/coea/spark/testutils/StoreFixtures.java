package org.coea.spark.testutils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.coea.common.hash.CategorySetHash;
import org.coea.spark.SparkRows;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.ingest.IngestSchemas;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.store.StoreJob;
import org.coea.spark.warehouse.Warehouse;

/** Small hand-made input tables of the {@code store} stage. */
public final class StoreFixtures {
    private StoreFixtures() {}

    /** One {@code novel_categories} row; {@code hash} null: the set's true hash. */
    public static Row novel(
            String csid,
            List<Integer> set,
            String hash,
            List<Object[]> categories,
            String model,
            long version) {
        List<Row> ranked = new ArrayList<>();
        for (Object[] c : categories) {
            ranked.add(RowFactory.create(c[0], c[1]));
        }
        return RowFactory.create(
                csid,
                SparkRows.array(set),
                hash == null ? CategorySetHash.hex(set) : hash,
                SparkRows.array(ranked),
                model,
                version);
    }

    /** Publishes {@code novel_categories} as the {@code score} stage would. */
    public static void publishNovel(SparkSession spark, Warehouse w, List<Row> rows) {
        w.publish(
                StoreJob.SCORE_STAGE,
                Map.of(
                        StoreJob.NOVEL_CATEGORIES,
                        spark.createDataFrame(rows, StoreJob.NOVEL_CATEGORIES_SCHEMA)
                                .repartition(2)));
    }

    /**
     * Publishes {@code user_groups}, {@code groups} and {@code sequences} for users given as {@code
     * user -> (csid, short set)}, with {@code defaultCsid} marked default, and a {@code categories}
     * table naming ids 0..19 {@code cat-<id>}.
     */
    public static void publishUsers(
            SparkSession spark,
            Warehouse w,
            Map<Long, Map.Entry<String, List<Integer>>> users,
            String defaultCsid) {
        List<Row> userGroups = new ArrayList<>();
        List<Row> sequences = new ArrayList<>();
        List<String> csids = new ArrayList<>();
        for (Map.Entry<Long, Map.Entry<String, List<Integer>>> u : users.entrySet()) {
            String csid = u.getValue().getKey();
            List<Integer> set = u.getValue().getValue();
            userGroups.add(RowFactory.create(u.getKey(), csid, SparkRows.array(new int[] {1, 2})));
            sequences.add(
                    RowFactory.create(
                            u.getKey(),
                            SparkRows.array(new long[] {1L}),
                            SparkRows.array(new long[] {1L}),
                            SparkRows.array(set),
                            SparkRows.array(set),
                            CategorySetHash.hex(set),
                            1));
            if (!csids.contains(csid)) {
                csids.add(csid);
            }
        }
        if (!csids.contains(defaultCsid)) {
            csids.add(defaultCsid);
        }
        List<Row> groups = new ArrayList<>();
        for (String csid : csids) {
            groups.add(
                    RowFactory.create(
                            csid,
                            1,
                            SparkRows.array(new float[] {0f}),
                            SparkRows.array(new long[] {1L}),
                            SparkRows.array(List.of(csid)),
                            csid.equals(defaultCsid)));
        }
        List<Row> categories = new ArrayList<>();
        for (int id = 0; id < 20; id++) {
            categories.add(RowFactory.create(id, "cat-" + id, 10L, false));
        }
        w.publish(
                GroupsJob.NAME,
                Map.of(
                        "user_groups",
                        spark.createDataFrame(userGroups, GroupsJob.USER_GROUPS).repartition(2),
                        "groups",
                        spark.createDataFrame(groups, GroupsJob.GROUPS).coalesce(1)));
        w.publish(
                SequencesJob.NAME,
                Map.of(
                        SequencesJob.NAME,
                        spark.createDataFrame(sequences, SequencesJob.SEQUENCES).coalesce(1)));
        w.publish(
                IngestJob.NAME,
                Map.of(
                        "categories",
                        spark.createDataFrame(categories, IngestSchemas.CATEGORIES).coalesce(1)));
    }
}
