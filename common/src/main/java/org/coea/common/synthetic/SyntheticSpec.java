package org.coea.common.synthetic;

/**
 * Parameters of the synthetic generator.
 *
 * @param users number of users (ids 0..users-1)
 * @param items number of items (ids 0..items-1)
 * @param categories number of categories
 * @param interactionsPerUser mean clicks per user (at least 5 each)
 * @param zipfExponent exponent s of the Zipf popularity (category sizes, item popularity within a
 *     category, category popularity)
 * @param groups number of latent user groups, each with its own category preferences
 * @param categoriesPerGroup how many preferred categories a group has
 * @param exploreRate share of clicks drawn from global category popularity instead of the group's
 *     preferences
 * @param days number of days the log covers
 * @param startEpochSeconds the first day's midnight, UTC
 * @param exposuresPerClick mean number of shown-but-not-clicked exposures per click (0 for none)
 * @param seed the seed; same seed and parameters, same output
 */
public record SyntheticSpec(
        long users,
        int items,
        int categories,
        int interactionsPerUser,
        double zipfExponent,
        int groups,
        int categoriesPerGroup,
        double exploreRate,
        int days,
        long startEpochSeconds,
        double exposuresPerClick,
        long seed)
        implements java.io.Serializable {

    /** 2025-04-02T00:00:00Z, the first day of the paper's MTRec log. */
    public static final long DEFAULT_START = 1_743_552_000L;

    /** Validates the parameters. */
    public SyntheticSpec {
        require(users > 0, "users must be > 0");
        require(items > 0, "items must be > 0");
        require(categories > 0, "categories must be > 0");
        require(items >= categories, "items must be >= categories (every category has an item)");
        require(interactionsPerUser >= 5, "interactions per user must be >= 5");
        require(zipfExponent >= 0, "zipf exponent must be >= 0");
        require(groups > 0, "groups must be > 0");
        require(
                categoriesPerGroup > 0 && categoriesPerGroup <= categories,
                "categories per group must be in 1..categories");
        require(exploreRate >= 0 && exploreRate <= 1, "explore rate must be in [0, 1]");
        require(days > 0, "days must be > 0");
        require(startEpochSeconds >= 0, "start must be >= 0");
        require(exposuresPerClick >= 0, "exposures per click must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("synthetic generator: " + message);
        }
    }
}
