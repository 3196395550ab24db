package org.coea.spark.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coea.spark.testutils.IngestOptionsFixtures.clicks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.spark.testutils.InputFixtures;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest.mode append}: daily increments merged into the warehouse, checked against the
 * expected tables written out by hand: events added once (a rerun adds nothing), items and users
 * upserted, category ids kept when a new category sorts first, rejects kept once, and the retention
 * window.
 */
class IngestAppendITCase {
    static SparkSession spark;

    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
    }

    private static final long DAY = 86_400L;
    private static final long T0 = 1_743_552_000L; // 2025-04-02T00:00:00Z

    private StageMetrics ingest(
            Warehouse w,
            String day,
            List<String> events,
            List<String> items,
            List<String> users,
            int retain)
            throws Exception {
        Path dir = tmp.resolve("raw/dt=" + day);
        InputFixtures.write(dir.resolve("events.csv"), events, StandardCharsets.UTF_8);
        InputFixtures.write(dir.resolve("items.csv"), items, StandardCharsets.UTF_8);
        InputFixtures.write(dir.resolve("users.csv"), users, StandardCharsets.UTF_8);
        return new IngestJob(false)
                .run(
                        spark,
                        w,
                        clicks(
                                        dir.resolve("events.csv"),
                                        dir.resolve("items.csv"),
                                        dir.resolve("users.csv"),
                                        0.5)
                                .withMode(IngestOptions.Mode.APPEND, retain));
    }

    private static TreeSet<String> events(Warehouse w) {
        TreeSet<String> out = new TreeSet<>();
        for (Row r : w.read("events", "ingest").collectAsList()) {
            out.add(r.getLong(0) + "," + r.getLong(1) + "," + r.getLong(2) + "," + r.getString(3));
        }
        return out;
    }

    private static Map<String, Integer> categoryIds(Warehouse w) {
        Map<String, Integer> out = new TreeMap<>();
        for (Row r : w.read("categories", "ingest").collectAsList()) {
            out.put(r.getString(1), r.getInt(0));
        }
        return out;
    }

    @Test
    void incrementsMergeOnceKeepCategoryIdsAndHonourRetention() throws Exception {
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        String header = "user_id,item_id,ts,event_type,strength";
        // Day 1 into an empty warehouse: a plain ingest.
        StageMetrics d1 =
                ingest(
                        w,
                        "2025-04-02",
                        List.of(
                                header,
                                "10,100," + T0 + ",click,1",
                                "11,101," + (T0 + 60) + ",click,1",
                                "11,100," + (T0 + 90) + ",exposure,0"),
                        List.of(
                                "item_id,title,categories",
                                "100,Noodles,food|asian",
                                "101,Pizza,food"),
                        List.of("user_id,city", "10,SH", "11,BJ"),
                        0);
        assertThat(d1.figures()).containsEntry("mode", "replace").containsEntry("accepted", 3L);
        assertThat(categoryIds(w)).isEqualTo(Map.of("asian", 0, "food", 1));

        // Day 2: one event again, two new ones (one on an item only day 1 listed), a bad line; a
        // new category that sorts before the others; an item update; a new user.
        List<String> day2Events =
                List.of(
                        header,
                        "10,100," + T0 + ",click,1",
                        "12,102," + (T0 + DAY) + ",click,1",
                        "12,100," + (T0 + DAY + 30) + ",click,1",
                        "12,999," + (T0 + DAY + 40) + ",click,1",
                        "13,100");
        List<String> day2Items =
                List.of("item_id,title,categories", "102,Ant farm,aardvark", "101,Pizza v2,food");
        List<String> day2Users = List.of("user_id,city", "12,GZ", "11,SZ");
        StageMetrics d2 = ingest(w, "2025-04-03", day2Events, day2Items, day2Users, 0);
        TreeSet<String> want =
                new TreeSet<>(
                        List.of(
                                "10,100," + T0 + ",click",
                                "11,101," + (T0 + 60) + ",click",
                                "11,100," + (T0 + 90) + ",exposure",
                                "12,102," + (T0 + DAY) + ",click",
                                "12,100," + (T0 + DAY + 30) + ",click"));
        assertThat(events(w)).isEqualTo(want);
        assertThat(d2.figures())
                .containsEntry("mode", "append")
                .containsEntry("accepted", 3L)
                .containsEntry("rejected", 2L)
                .containsEntry("events_before", 3L)
                .containsEntry("events_added", 2L)
                .containsEntry("events_dropped_by_retention", 0L);
        assertThat(categoryIds(w)).isEqualTo(Map.of("asian", 0, "food", 1, "aardvark", 2));
        Map<Long, String> titles = new TreeMap<>();
        for (Row r : w.read("items", "ingest").collectAsList()) {
            titles.put(r.getLong(0), r.getString(1) + " " + r.getList(2));
        }
        assertThat(titles)
                .isEqualTo(
                        Map.of(100L, "Noodles [1, 0]", 101L, "Pizza v2 [1]", 102L, "Ant farm [2]"));
        Map<Long, String> cities = new TreeMap<>();
        for (Row r : w.read("users", "ingest").collectAsList()) {
            cities.put(r.getLong(0), String.valueOf(r.<String, String>getJavaMap(1).get("city")));
        }
        assertThat(cities).isEqualTo(Map.of(10L, "SH", 11L, "SZ", 12L, "GZ"));
        // click volumes over every event: item 100 (food, asian) 2 clicks, 101 (food) 1, 102 1
        Map<String, Long> volume = new TreeMap<>();
        for (Row r : w.read("categories", "ingest").collectAsList()) {
            volume.put(r.getString(1), r.getLong(2));
        }
        assertThat(volume).isEqualTo(Map.of("asian", 2L, "food", 3L, "aardvark", 1L));
        assertThat(w.read("rejects", "ingest").count()).isEqualTo(2);

        // The same increment again changes nothing.
        StageMetrics again = ingest(w, "2025-04-03", day2Events, day2Items, day2Users, 0);
        assertThat(again.figures()).containsEntry("events_added", 0L);
        assertThat(events(w)).isEqualTo(want);
        assertThat(w.read("rejects", "ingest").count()).isEqualTo(2);
        assertThat(categoryIds(w)).isEqualTo(Map.of("asian", 0, "food", 1, "aardvark", 2));

        // Day 4 with a one-day window: only events from a day before the newest stay.
        StageMetrics d4 =
                ingest(
                        w,
                        "2025-04-05",
                        List.of(header, "10,101," + (T0 + 3 * DAY) + ",click,1"),
                        List.of("item_id,title,categories", "101,Pizza v2,food"),
                        List.of("user_id,city"),
                        1);
        assertThat(events(w)).containsExactly("10,101," + (T0 + 3 * DAY) + ",click");
        assertThat(d4.figures())
                .containsEntry("events_before", 5L)
                .containsEntry("events_added", 1L)
                .containsEntry("events_dropped_by_retention", 5L);
    }
}
