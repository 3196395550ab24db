package org.coea.common.store;

import java.util.Collection;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.coea.common.model.GroupCsid;

/**
 * What the user store holds for one user: the user's CSID and current short-term category set (kept
 * sorted and distinct).
 */
public record UserState(GroupCsid csid, SortedSet<Integer> shortTermSet) {
    public UserState {
        Objects.requireNonNull(csid, "csid");
        Objects.requireNonNull(shortTermSet, "shortTermSet");
        TreeSet<Integer> copy = new TreeSet<>();
        for (Integer id : shortTermSet) {
            if (id == null || id < 0) {
                throw new IllegalArgumentException(
                        "short-term set holds an invalid category id " + id + ": " + shortTermSet);
            }
            copy.add(id);
        }
        shortTermSet = java.util.Collections.unmodifiableSortedSet(copy);
    }

    /** A state from a CSID and any collection of category ids. */
    public static UserState of(GroupCsid csid, Collection<Integer> shortTermSet) {
        return new UserState(csid, new TreeSet<>(shortTermSet));
    }

    /** The novelty key of this user's CSID and short-term set. */
    public NoveltyKey noveltyKey() {
        return NoveltyKey.of(csid, shortTermSet);
    }
}
