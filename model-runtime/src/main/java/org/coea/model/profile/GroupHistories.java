package org.coea.model.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the Profile model reads about one group: the long-term histories of its representative users
 * R_g (Eq. 7), one list per representative in the group's order, each oldest first.
 *
 * @param histories the representatives' items, oldest first; at least one representative
 */
public record GroupHistories(List<List<ProfileItem>> histories) {
    /**
     * Validates and copies the histories.
     *
     * @throws IllegalArgumentException when there is no representative or no item at all
     */
    public GroupHistories {
        Objects.requireNonNull(histories, "histories");
        List<List<ProfileItem>> copy = new ArrayList<>(histories.size());
        int items = 0;
        for (List<ProfileItem> h : histories) {
            copy.add(List.copyOf(h));
            items += h.size();
        }
        if (items == 0) {
            throw new IllegalArgumentException(
                    "a group needs at least one representative item to be profiled");
        }
        histories = List.copyOf(copy);
    }

    /** The number of items over all representatives. */
    public int itemCount() {
        return histories.stream().mapToInt(List::size).sum();
    }
}
