package org.coea.spark.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.model.GroupCsid;
import org.coea.common.split.SplitMode;
import org.coea.common.testutils.Fixtures;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.profile.GroupHistories;
import org.coea.model.profile.ProfileItem;
import org.coea.model.profile.ProfileWriter;
import org.coea.model.profile.WrittenProfile;
import org.coea.model.testutils.TinyChatCheckpoint;
import org.coea.spark.SparkRows;
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

class ProfilesITCase {
    static final int MAX_NEW = 8;
    static final int BUDGET = 700;

    @TempDir Path tmp;

    /**
     * Real ingest, split and sequences tables; a hand-made {@code groups} table (the groups stage
     * needs a trained encoder, and on data this small its groups may collapse into one): four
     * groups of three representatives in a non-sorted order, one representative unknown to
     * sequences, and a fifth group whose representatives have no sequence at all.
     */
    @Test
    void theProfileLmWritesEachGroupsProfileOnTheExecutors() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Warehouse w = new Warehouse(spark, tmp.resolve("w").toString());
        new IngestJob(true)
                .run(spark, w, IngestOptionsFixtures.synthetic(Fixtures.smallSyntheticSpec(4)));
        new SplitJob().run(spark, w, new SplitOptions(SplitMode.PER_USER, 0.2, 0.1, 2, 3, 0.2));
        new SequencesJob().run(spark, w, new SequencesOptions(1.0, 50, 10, 3));
        List<Long> users =
                w.read("sequences", "sequences")
                        .select("user_id")
                        .orderBy("user_id")
                        .as(Encoders.LONG())
                        .collectAsList();
        List<Row> made = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            List<Long> reps =
                    new ArrayList<>(
                            List.of(users.get(3 * g + 2), users.get(3 * g), users.get(3 * g + 1)));
            if (g == 1) {
                reps.add(1, -7L);
            }
            made.add(group(GroupCsid.of(g + 1, 1).toString(), reps, g == 0));
        }
        String empty = GroupCsid.of(9, 9).toString();
        made.add(group(empty, List.of(-1L, -2L), false));
        w.publish(
                GroupsJob.NAME,
                Map.of("groups", spark.createDataFrame(made, GroupsJob.GROUPS).coalesce(1)));

        new ProfilesJob().run(spark, w);
        Map<String, Row> statistical = byCsid(w.read("group_profiles", "profiles").collectAsList());

        Path model = TinyChatCheckpoint.write(tmp.resolve("profile-lm"), 23);
        ProfilesOptions o =
                new ProfilesOptions(
                        Optional.of(model.toString()), MAX_NEW, BUDGET, 2, DeviceSetting.CPU);
        StageMetrics m = new ProfilesJob().run(spark, w, o);
        Map<String, Row> lm = byCsid(w.read("group_profiles", "profiles").collectAsList());

        List<Row> groups =
                new ArrayList<>(w.read("groups", "groups").orderBy("csid").collectAsList());
        assertThat(lm.keySet())
                .as("one row per group")
                .containsExactlyInAnyOrderElementsOf(
                        groups.stream().map(g -> g.getString(0)).toList());
        assertThat(m.rowsOut()).isEqualTo(groups.size());
        assertThat(m.figures())
                .containsEntry("profiler", "language-model")
                .containsEntry("profile_model", model.toString())
                .containsEntry("statistical_fallbacks", 1L)
                .containsEntry("lm_groups", (long) groups.size() - 1);
        assertThat(lm.get(empty).getString(1))
                .as("a group without any history keeps the statistical sentence")
                .isEqualTo(statistical.get(empty).getString(1));
        groups.removeIf(g -> g.getString(0).equals(empty));
        assertThat((Long) m.figures().get("truncated_prompts"))
                .as("three histories of up to 50 items do not fit %d tokens", BUDGET)
                .isPositive();

        // The same groups profiled on the driver from plainly collected rows.
        List<GroupHistories> inputs = driverInputs(w, groups);
        List<WrittenProfile> expected;
        try (ProfileWriter writer =
                ProfileWriter.builder()
                        .setModelPath(model)
                        .optMaxNewTokens(MAX_NEW)
                        .optMaxPromptTokens(BUDGET)
                        .optBatchSize(1)
                        .optDevice(DeviceSelection.select(DeviceSetting.CPU))
                        .build()) {
            expected = writer.write(inputs);
        }
        for (int i = 0; i < groups.size(); i++) {
            String csid = groups.get(i).getString(0);
            Row row = lm.get(csid);
            assertThat(expected.get(i).text()).as("group %s", csid).isNotBlank();
            assertThat(row.getString(1))
                    .as("profile of %s", csid)
                    .isEqualTo(expected.get(i).text());
            assertThat(expected.get(i).prompt().ids().length).isLessThanOrEqualTo(BUDGET);
            Row stat = statistical.get(csid);
            assertThat(row.getString(1)).isNotEqualTo(stat.getString(1));
            for (int c = 2; c <= 4; c++) {
                assertThat(row.<String>getList(c))
                        .as("statistical column %d of %s", c, csid)
                        .isEqualTo(stat.<String>getList(c));
            }
        }
        // The prompt reads the first representative's newest item as title (categories).
        assertThat(expected.get(0).prompt().text())
                .contains("User 1: ")
                .contains(
                        inputs.get(0)
                                .histories()
                                .get(0)
                                .get(inputs.get(0).histories().get(0).size() - 1)
                                .text());

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.copy(model.resolve("config.json"), broken.resolve("config.json"));
        ProfilesOptions bad =
                new ProfilesOptions(
                        Optional.of(broken.toString()), MAX_NEW, BUDGET, 2, DeviceSetting.CPU);
        assertThatThrownBy(() -> new ProfilesJob().run(spark, w, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profiles.model")
                .hasMessageContaining("tokenizer.json");
    }

    /**
     * Each group's representatives in order, each with its long-term sequence oldest first, items
     * as title and category names.
     */
    private static List<GroupHistories> driverInputs(Warehouse w, List<Row> groups) {
        Map<Long, List<Long>> sequences = new HashMap<>();
        for (Row r : w.read("sequences", "sequences").collectAsList()) {
            sequences.put(r.getLong(0), r.getList(1));
        }
        Map<Long, Row> items = new HashMap<>();
        for (Row r : w.read("items", "ingest").collectAsList()) {
            items.put(r.getLong(0), r);
        }
        Map<Integer, String> names = new HashMap<>();
        for (Row r : w.read("train_categories", "split").collectAsList()) {
            names.put(r.getInt(0), r.getString(1));
        }
        List<GroupHistories> out = new ArrayList<>();
        for (Row g : groups) {
            List<List<ProfileItem>> histories = new ArrayList<>();
            for (Long user : g.<Long>getList(3)) {
                List<ProfileItem> h = new ArrayList<>();
                for (Long item : sequences.getOrDefault(user, List.of())) {
                    Row it = items.get(item);
                    List<String> cats = new ArrayList<>();
                    for (Integer c : it.<Integer>getList(2)) {
                        cats.add(names.getOrDefault(c, "category " + c));
                    }
                    h.add(new ProfileItem(it.getString(1), cats));
                }
                if (!h.isEmpty()) {
                    histories.add(h);
                }
            }
            out.add(new GroupHistories(histories));
        }
        return out;
    }

    private static Row group(String csid, List<Long> representatives, boolean isDefault) {
        return RowFactory.create(
                csid,
                representatives.size(),
                SparkRows.array(new float[] {0f, 0f}),
                SparkRows.array(representatives),
                SparkRows.array(List.of()),
                isDefault);
    }

    private static Map<String, Row> byCsid(List<Row> rows) {
        Map<String, Row> out = new HashMap<>();
        rows.forEach(r -> out.put(r.getString(0), r));
        return out;
    }
}
