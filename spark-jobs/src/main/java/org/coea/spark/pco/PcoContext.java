package org.coea.spark.pco;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.coea.common.model.GroupCsid;
import org.coea.model.pco.PcoPrompt;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.groups.ProfilesJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.warehouse.Warehouse;

/**
 * What every PCO stage needs besides its rows, small enough for the driver and for shipping to
 * executors: the category names (ids are positions), the CSID shape, each group's profile
 * categories and profile text (text prompts of a checkpoint-backed model read it), and the ablation
 * that decides what a prompt shows.
 */
final class PcoContext implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<String> categories;
    final int csidLevels;
    final int codebookSize;
    final HashMap<String, int[]> profiles;
    final HashMap<String, String> profileTexts;
    final Ablation ablation;

    private PcoContext(
            List<String> categories,
            int csidLevels,
            int codebookSize,
            HashMap<String, int[]> profiles,
            HashMap<String, String> profileTexts,
            Ablation ablation) {
        this.categories = List.copyOf(categories);
        this.csidLevels = csidLevels;
        this.codebookSize = codebookSize;
        this.profiles = profiles;
        this.profileTexts = profileTexts;
        this.ablation = ablation;
    }

    /**
     * Reads the context from the warehouse ({@code train_categories}, {@code groups}, profiles).
     */
    static PcoContext load(Warehouse w, Ablation ablation) {
        List<Row> cats =
                w.read("train_categories", SplitJob.NAME)
                        .select("category_id", "name")
                        .orderBy("category_id")
                        .collectAsList();
        List<String> names = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (Row r : cats) {
            if (r.getInt(0) != names.size()) {
                throw new IllegalStateException(
                        "train_categories: category ids must be 0..n-1 without gaps; found "
                                + r.getInt(0)
                                + " at position "
                                + names.size());
            }
            names.add(r.getString(1));
            ids.put(r.getString(1), r.getInt(0));
        }
        int levels = 0;
        int maxCode = 0;
        for (Row r : w.read("groups", GroupsJob.NAME).select("csid").collectAsList()) {
            GroupCsid c = GroupCsid.parse(r.getString(0));
            levels = Math.max(levels, c.levels());
            for (int code : c.codes()) {
                maxCode = Math.max(maxCode, code);
            }
        }
        if (levels == 0) {
            throw new IllegalStateException("table 'groups' is empty: run `coea groups` first");
        }
        HashMap<String, int[]> profiles = new HashMap<>();
        HashMap<String, String> texts = new HashMap<>();
        for (Row r :
                w.read("group_profiles", ProfilesJob.NAME)
                        .select(col("csid"), col("dominant_categories"), col("profile"))
                        .collectAsList()) {
            List<String> dominant = r.getList(1);
            profiles.put(
                    r.getString(0),
                    dominant.stream().filter(ids::containsKey).mapToInt(ids::get).toArray());
            if (!r.isNullAt(2)) {
                texts.put(r.getString(0), r.getString(2));
            }
        }
        return new PcoContext(names, levels, maxCode + 1, profiles, texts, ablation);
    }

    /** The embedded models' vocabulary. */
    DomainTokenizer vocabulary() {
        return DomainTokenizer.builder()
                .setCsidShape(csidLevels, codebookSize)
                .setCategories(categories)
                .build();
    }

    /**
     * The prompt of a user or key: the group (CSID and profile categories, none under no-long), the
     * recent categories and the excluded set C^S (the model drops the recent ones under no-short,
     * but the excluded set stays: Eq. 10 never proposes a category of C^S).
     */
    PcoPrompt prompt(String csid, int[] recent, int[] excluded) {
        if (ablation == Ablation.NO_LONG) {
            return new PcoPrompt(Optional.empty(), new int[0], recent, excluded);
        }
        return new PcoPrompt(
                Optional.of(GroupCsid.parse(csid)),
                profiles.getOrDefault(csid, new int[0]),
                recent,
                excluded,
                profileTexts.getOrDefault(csid, ""));
    }

    /** The prompt of a row's list column of category ids. */
    static int[] ints(Row row, int field) {
        List<Integer> l = row.getList(field);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }
}
