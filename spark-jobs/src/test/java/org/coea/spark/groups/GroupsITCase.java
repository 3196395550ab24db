package org.coea.spark.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.model.GroupCsid;
import org.coea.common.split.SplitMode;
import org.coea.common.testutils.Fixtures;
import org.coea.spark.csa.CsaJob;
import org.coea.spark.csa.CsaOptions;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.sequences.SequencesOptions;
import org.coea.spark.split.SplitJob;
import org.coea.spark.split.SplitOptions;
import org.coea.spark.testutils.IngestOptionsFixtures;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupsITCase {
    @TempDir Path tmp;

    @Test
    void assignsCsidsGroupsRepresentativesAndProfiles() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        new IngestJob(true)
                .run(spark, w, IngestOptionsFixtures.synthetic(Fixtures.smallSyntheticSpec(4)));
        new SplitJob().run(spark, w, new SplitOptions(SplitMode.PER_USER, 0.2, 0.1, 2, 3, 0.2));
        new SequencesJob().run(spark, w, new SequencesOptions(1.0, 50, 10, 3));
        new CsaJob().run(spark, w, CsaOptions.small(16, 1, 2, 50, 2, 32, 7));
        GroupsOptions o = new GroupsOptions(2, 4, 5, 3, 8, 5, 64, 1e-3, 100_000, 11);
        StageMetrics m = new GroupsJob().run(spark, w, o);

        long users = w.read("user_vectors", "csa").count();
        assertThat(w.read("user_groups", "groups").count()).isEqualTo(users);
        List<Row> groups = w.read("groups", "groups").collectAsList();
        assertThat(groups.size()).isBetween(1, 5);
        assertThat(groups.stream().mapToInt(g -> g.getInt(1)).sum()).isEqualTo((int) users);
        assertThat(groups.stream().filter(g -> g.getBoolean(5)).count()).isEqualTo(1);
        assertThat(m.figures())
                .containsKeys(
                        "num_groups",
                        "largest_group_share",
                        "intra_cosine",
                        "inter_cosine",
                        "codebook_usage",
                        "default_csid");
        for (Row g : groups) {
            GroupCsid.parse(g.getString(0));
        }

        // Representatives are the M members nearest the centroid, checked naively.
        Map<Long, float[]> h = new HashMap<>();
        for (Row r : w.read("user_vectors", "csa").collectAsList()) {
            List<Float> v = r.getList(1);
            float[] a = new float[v.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = v.get(i);
            }
            h.put(r.getLong(0), a);
        }
        Map<String, List<Long>> members = new HashMap<>();
        for (Row r : w.read("user_groups", "groups").collectAsList()) {
            members.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getLong(0));
        }
        Row largest = groups.stream().max(Comparator.comparingInt(g -> g.getInt(1))).orElseThrow();
        List<Long> mine = members.get(largest.getString(0));
        List<Float> c = largest.getList(2);
        mine.sort(
                Comparator.comparingDouble((Long u) -> dist(h.get(u), c))
                        .thenComparingLong(u -> u));
        assertThat(largest.<Long>getList(3))
                .containsExactlyInAnyOrderElementsOf(mine.subList(0, Math.min(3, mine.size())));

        // Same inputs and seed: the same CSIDs.
        Map<Long, String> first = new HashMap<>();
        w.read("user_groups", "groups")
                .collectAsList()
                .forEach(r -> first.put(r.getLong(0), r.getString(1)));
        new GroupsJob().run(spark, w, o);
        w.read("user_groups", "groups")
                .collectAsList()
                .forEach(r -> assertThat(r.getString(1)).isEqualTo(first.get(r.getLong(0))));

        StageMetrics p = new ProfilesJob().run(spark, w);
        assertThat(p.rowsOut()).isEqualTo(groups.size());
        assertThat(w.read("group_profiles", "profiles").collectAsList())
                .allSatisfy(
                        r -> assertThat(r.getString(1)).startsWith("Users who mostly choose cat-"));
    }

    private static double dist(float[] a, List<Float> c) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - c.get(i);
            s += d * d;
        }
        return s;
    }
}
