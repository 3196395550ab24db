package org.coea.common.sequence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds a user's sequences from the user's training clicks (METHOD.md, DSIE):
 *
 * <ul>
 *   <li>long-term (Eq. 3): the clicks in time order (ties by item id), keeping those with click
 *       strength {@code >= tau}, then the most recent {@code maxLength};
 *   <li>short-term: the last {@code n} clicks (unfiltered) and their categories, set and key hash,
 *       by the rule of {@link ShortTermWindow} that the streaming job applies too.
 * </ul>
 *
 * A user whose long-term sequence is shorter than {@code minLength} is reported, not dropped
 * silently: {@link #build} returns the reason.
 */
public final class SequenceRules implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final double tau;
    private final int maxLength;
    private final int shortLength;
    private final int minLength;

    /**
     * @param tau the Eq. 3 threshold on click strength
     * @param maxLength the cap of the long-term sequence (most recent kept)
     * @param shortLength n, the short-term window
     * @param minLength the shortest long-term sequence a user needs
     */
    public SequenceRules(double tau, int maxLength, int shortLength, int minLength) {
        if (maxLength <= 0 || shortLength <= 0 || minLength < 0) {
            throw new IllegalArgumentException("sequence lengths must be positive");
        }
        this.tau = tau;
        this.maxLength = maxLength;
        this.shortLength = shortLength;
        this.minLength = minLength;
    }

    /** One training click with its item's categories. */
    public record Click(long epochSeconds, long itemId, double strength, int[] categories) {}

    /**
     * A user's sequences.
     *
     * @param longItems the filtered, capped long-term item sequence, oldest first
     * @param shortItems the last n items, oldest first
     * @param shortCategories ordered distinct categories of the short-term items
     * @param shortSet the sorted distinct category ids
     * @param shortHash the key hash of the set (16 hex digits)
     * @param clicks number of training clicks of the user
     */
    public record UserSequence(
            long[] longItems,
            long[] shortItems,
            int[] shortCategories,
            int[] shortSet,
            String shortHash,
            int clicks) {}

    /** The result for one user: the sequences, or why the user has none. */
    public record Outcome(
            Optional<UserSequence> sequence, String reason, int clicks, int longLength) {}

    /** Applies the rules to a user's clicks (any order). */
    public Outcome build(List<Click> clicks) {
        List<Click> ordered = new ArrayList<>(clicks);
        ordered.sort(
                Comparator.comparingLong(Click::epochSeconds).thenComparingLong(Click::itemId));
        List<Long> filtered = new ArrayList<>();
        for (Click c : ordered) {
            if (c.strength() >= tau) {
                filtered.add(c.itemId());
            }
        }
        int from = Math.max(0, filtered.size() - maxLength);
        long[] longItems =
                filtered.subList(from, filtered.size()).stream()
                        .mapToLong(Long::longValue)
                        .toArray();
        if (longItems.length < minLength || ordered.isEmpty()) {
            return new Outcome(
                    Optional.empty(),
                    "long-term sequence of "
                            + longItems.length
                            + " clicks with strength >= "
                            + tau
                            + " is shorter than "
                            + minLength,
                    ordered.size(),
                    longItems.length);
        }
        List<ShortTermWindow.Click> window =
                ShortTermWindow.last(
                        ordered.stream()
                                .map(
                                        c ->
                                                new ShortTermWindow.Click(
                                                        c.epochSeconds(),
                                                        c.itemId(),
                                                        c.categories()))
                                .toList(),
                        shortLength);
        long[] shortItems = window.stream().mapToLong(ShortTermWindow.Click::itemId).toArray();
        ShortTermWindow.Categories cats = ShortTermWindow.categories(window);
        UserSequence s =
                new UserSequence(
                        longItems,
                        shortItems,
                        cats.categories(),
                        cats.set(),
                        cats.hash(),
                        ordered.size());
        return new Outcome(Optional.of(s), "", ordered.size(), longItems.length);
    }
}
