package org.coea.common.store;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The value of the novelty store: novel categories ranked by score (highest first, distinct ids)
 * and the version of the model that produced them.
 */
public record NoveltyEntry(List<NovelCategory> categories, String modelVersion) {
    /** Longest model version text, so that one value stays small. */
    public static final int MAX_MODEL_VERSION_LENGTH = 200;

    public NoveltyEntry {
        Objects.requireNonNull(categories, "categories");
        Objects.requireNonNull(modelVersion, "modelVersion");
        categories = List.copyOf(categories);
        if (modelVersion.isBlank()
                || modelVersion.length() > MAX_MODEL_VERSION_LENGTH
                || modelVersion.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "model version must be 1.."
                            + MAX_MODEL_VERSION_LENGTH
                            + " printable characters, got '"
                            + modelVersion
                            + "'");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < categories.size(); i++) {
            NovelCategory c = categories.get(i);
            if (!seen.add(c.categoryId())) {
                throw new IllegalArgumentException(
                        "category " + c.categoryId() + " appears twice in " + categories);
            }
            if (i > 0 && categories.get(i - 1).score() < c.score()) {
                throw new IllegalArgumentException(
                        "categories must be ranked by score, highest first: " + categories);
            }
        }
    }
}
