package org.coea.common.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.model.GroupCsid;

/**
 * Checks one row of the {@code novel_categories} table and turns it into a novelty store row, or
 * says why it cannot be stored: a malformed CSID, a short-term set with invalid ids, a hash that is
 * not the {@link CategorySetHash} of the set, categories that are not ranked or repeat an id, or a
 * bad model version.
 */
public final class NoveltyRows {
    private NoveltyRows() {}

    /**
     * Parses one row.
     *
     * @param csid the fixed-width CSID text
     * @param shortSet the short-term category set
     * @param shortHash the 16-hex-digit hash of the set
     * @param categories the ranked categories, highest score first
     * @param modelVersion the version of the model that scored them
     */
    public static Parsed parse(
            String csid,
            List<Integer> shortSet,
            String shortHash,
            List<NovelCategoryValue> categories,
            String modelVersion) {
        if (csid == null) {
            return Parsed.rejected("csid is null");
        }
        GroupCsid parsedCsid;
        try {
            parsedCsid = GroupCsid.parse(csid);
        } catch (IllegalArgumentException e) {
            return Parsed.rejected("malformed csid '" + csid + "'");
        }
        if (shortSet == null) {
            return Parsed.rejected("short_set is null (csid " + csid + ")");
        }
        for (Integer id : shortSet) {
            if (id == null || id < 0) {
                return Parsed.rejected(
                        "short_set "
                                + shortSet
                                + " holds an invalid category id (csid "
                                + csid
                                + ")");
            }
        }
        String expected = CategorySetHash.hex(shortSet);
        if (!expected.equals(shortHash)) {
            return Parsed.rejected(
                    "short_hash '"
                            + shortHash
                            + "' is not the hash of short_set "
                            + shortSet
                            + " (expected "
                            + expected
                            + ", csid "
                            + csid
                            + ")");
        }
        NoveltyKey key = NoveltyKey.of(parsedCsid, shortSet);
        if (categories == null) {
            return Parsed.rejected("categories is null (key " + key + ")");
        }
        if (modelVersion == null) {
            return Parsed.rejected("model_version is null (key " + key + ")");
        }
        List<NovelCategory> ranked = new ArrayList<>(categories.size());
        try {
            for (NovelCategoryValue c : categories) {
                if (c == null || c.categoryId() == null || c.score() == null) {
                    return Parsed.rejected("a category or its score is null (key " + key + ")");
                }
                ranked.add(new NovelCategory(c.categoryId(), c.score()));
            }
            return new Parsed(
                    Optional.of(key),
                    Optional.of(new NoveltyEntry(ranked, modelVersion)),
                    Optional.empty());
        } catch (IllegalArgumentException e) {
            return Parsed.rejected(e.getMessage() + " (key " + key + ")");
        }
    }

    /** A category and score as read, either possibly null. */
    public record NovelCategoryValue(Integer categoryId, Double score) {}

    /**
     * The outcome for one row: a key and entry, or a reject reason.
     *
     * @param key the novelty key; empty when rejected
     * @param entry the entry; empty when rejected
     * @param reject why the row was rejected; empty when accepted
     */
    public record Parsed(
            Optional<NoveltyKey> key, Optional<NoveltyEntry> entry, Optional<String> reject) {
        public Parsed {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(reject, "reject");
            if (reject.isPresent() == key.isPresent() || key.isPresent() != entry.isPresent()) {
                throw new IllegalArgumentException("either a key and entry or a reject reason");
            }
        }

        static Parsed rejected(String reason) {
            return new Parsed(Optional.empty(), Optional.empty(), Optional.of(reason));
        }

        /** Whether the row was accepted. */
        public boolean accepted() {
            return reject.isEmpty();
        }
    }
}
