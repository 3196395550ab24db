package org.coea.flink.clicks;

import java.util.Arrays;
import java.util.Objects;
import org.coea.common.sequence.ShortTermWindow;

/**
 * A parsed click with its item's category ids.
 *
 * @param userId the user
 * @param itemId the item
 * @param epochSeconds when (Unix seconds)
 * @param categories the item's category ids in listed order (at least one)
 */
public record CategorizedClick(long userId, long itemId, long epochSeconds, int[] categories) {
    /** Validates the fields. */
    public CategorizedClick {
        Objects.requireNonNull(categories, "categories");
        if (categories.length == 0) {
            throw new IllegalArgumentException("click of item " + itemId + " has no category");
        }
    }

    /** The click as the window rule sees it. */
    public ShortTermWindow.Click toWindowClick() {
        return new ShortTermWindow.Click(epochSeconds, itemId, categories.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategorizedClick c
                && userId == c.userId
                && itemId == c.itemId
                && epochSeconds == c.epochSeconds
                && Arrays.equals(categories, c.categories);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, itemId, epochSeconds, Arrays.hashCode(categories));
    }

    @Override
    public String toString() {
        return "CategorizedClick[user="
                + userId
                + ", item="
                + itemId
                + ", ts="
                + epochSeconds
                + ", categories="
                + Arrays.toString(categories)
                + "]";
    }
}
