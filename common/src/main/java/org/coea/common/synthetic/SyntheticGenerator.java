package org.coea.common.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.EventType;
import org.coea.common.model.Item;
import org.coea.common.model.UserFeatures;

/**
 * Generates a click log shaped like the paper's industrial set: many users, hundreds of categories
 * with long-tail (Zipf) sizes and popularity, latent user groups with their own category
 * preferences, repeat clicks (click strength), exposures and a span of days.
 *
 * <p>Every user's events depend only on the spec and the user id (each user has its own random
 * stream derived from the seed), so any partitioning of the user range gives the same output, and
 * the generator scales to millions of users by generating them in parallel. Building an instance
 * costs O(items + groups x categories); it is meant to be built once per executor.
 */
public final class SyntheticGenerator {
    private static final long STREAM_ITEM = 1;
    private static final long STREAM_GROUP = 2;
    private static final long STREAM_USER = 3;
    private static final String[] AGES = {"18", "25", "35", "45", "56"};

    private final SyntheticSpec spec;
    private final int[] itemCategory;
    private final long[][] itemsByCategory;
    private final double[][] itemCdfByCategory;
    private final double[] categoryPopularityCdf;
    private final int[][] groupCategories;
    private final double[][] groupCategoryCdf;

    /** Builds the catalogue and the groups from the spec. */
    public SyntheticGenerator(SyntheticSpec spec) {
        this.spec = spec;
        int c = spec.categories();
        double[] categorySize = zipfWeights(c, spec.zipfExponent());
        double[] sizeCdf = cdf(categorySize);
        // Every category gets one item; the rest are spread by the Zipf category sizes.
        itemCategory = new int[spec.items()];
        int[] counts = new int[c];
        for (int i = 0; i < spec.items(); i++) {
            int cat = i < c ? i : sample(sizeCdf, random(STREAM_ITEM, i).nextDouble());
            itemCategory[i] = cat;
            counts[cat]++;
        }
        itemsByCategory = new long[c][];
        for (int k = 0; k < c; k++) {
            itemsByCategory[k] = new long[counts[k]];
        }
        int[] fill = new int[c];
        for (int i = 0; i < spec.items(); i++) {
            int cat = itemCategory[i];
            itemsByCategory[cat][fill[cat]++] = i;
        }
        itemCdfByCategory = new double[c][];
        for (int k = 0; k < c; k++) {
            itemCdfByCategory[k] = cdf(zipfWeights(counts[k], spec.zipfExponent()));
        }
        categoryPopularityCdf = sizeCdf;
        groupCategories = new int[spec.groups()][];
        groupCategoryCdf = new double[spec.groups()][];
        for (int g = 0; g < spec.groups(); g++) {
            SplittableRandom r = random(STREAM_GROUP, g);
            int[] cats = distinctSample(sizeCdf, spec.categoriesPerGroup(), r);
            double[] w = new double[cats.length];
            for (int j = 0; j < w.length; j++) {
                w[j] = -Math.log(1.0 - r.nextDouble()); // Dirichlet(1) before normalising
            }
            groupCategories[g] = cats;
            groupCategoryCdf[g] = cdf(w);
        }
    }

    /** The spec this generator was built from. */
    public SyntheticSpec spec() {
        return spec;
    }

    /** The name of a category id: {@code cat-0007}. */
    public static String categoryName(int categoryId) {
        return String.format(java.util.Locale.ROOT, "cat-%04d", categoryId);
    }

    /** Category names, indexed by category id. */
    public List<String> categoryNames() {
        List<String> names = new ArrayList<>(spec.categories());
        for (int k = 0; k < spec.categories(); k++) {
            names.add(categoryName(k));
        }
        return names;
    }

    /** The item with this id. */
    public Item item(long itemId) {
        int cat = itemCategory[Math.toIntExact(itemId)];
        return new Item(
                itemId, "item " + itemId + " of " + categoryName(cat), List.of(categoryName(cat)));
    }

    /** The latent group of a user (ground truth for evaluating the learned groups). */
    public int group(long userId) {
        return Math.floorMod(mix(spec.seed() ^ 0x5DEECE66DL, userId), spec.groups());
    }

    /** The sparse features of a user: age band and region depend on the group, gender does not. */
    public UserFeatures userFeatures(long userId) {
        SplittableRandom r = random(STREAM_USER + 100, userId);
        int g = group(userId);
        Map<String, String> f = new TreeMap<>();
        f.put("gender", r.nextBoolean() ? "M" : "F");
        int age = r.nextDouble() < 0.7 ? g % AGES.length : r.nextInt(AGES.length);
        f.put("age", AGES[age]);
        int region = r.nextDouble() < 0.5 ? (g * 7) % 100 : r.nextInt(100);
        f.put("region", Integer.toString(region));
        return new UserFeatures(userId, f);
    }

    /** A user's events, sorted by time. */
    public List<BehaviorEvent> userEvents(long userId) {
        SplittableRandom r = random(STREAM_USER, userId);
        int g = group(userId);
        int mean = spec.interactionsPerUser();
        int min = 5;
        int n =
                min
                        + (int)
                                Math.min(
                                        20L * mean,
                                        Math.round(-Math.log(1.0 - r.nextDouble()) * (mean - min)));
        long span = spec.days() * 86_400L;
        long[] times = new long[n];
        for (int j = 0; j < n; j++) {
            times[j] = spec.startEpochSeconds() + (long) (r.nextDouble() * span);
        }
        Arrays.sort(times);
        List<BehaviorEvent> out = new ArrayList<>(n + (int) (n * spec.exposuresPerClick()) + 4);
        for (int j = 0; j < n; j++) {
            int cat =
                    r.nextDouble() < spec.exploreRate()
                            ? sample(categoryPopularityCdf, r.nextDouble())
                            : groupCategories[g][sample(groupCategoryCdf[g], r.nextDouble())];
            long item = itemsByCategory[cat][sample(itemCdfByCategory[cat], r.nextDouble())];
            int exposures = poisson(spec.exposuresPerClick(), r);
            for (int e = 0; e < exposures; e++) {
                int ecat = sample(categoryPopularityCdf, r.nextDouble());
                long shown = itemsByCategory[ecat][sample(itemCdfByCategory[ecat], r.nextDouble())];
                if (shown != item) {
                    out.add(new BehaviorEvent(userId, shown, times[j], EventType.EXPOSURE, 0.0));
                }
            }
            // Repeat clicks: strength 1 with p=0.6, then a geometric tail.
            int strength = 1;
            while (strength < 20 && r.nextDouble() < 0.4) {
                strength++;
            }
            out.add(new BehaviorEvent(userId, item, times[j], EventType.CLICK, strength));
        }
        return out;
    }

    private SplittableRandom random(long stream, long id) {
        return new SplittableRandom(mix(mix(spec.seed(), stream), id));
    }

    /** SplitMix64 finaliser of a and b: a fixed, documented mixing so seeds are stable. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double[] zipfWeights(int n, double s) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 1.0 / Math.pow(k + 1, s);
        }
        return w;
    }

    static double[] cdf(double[] weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (int k = 0; k < weights.length; k++) {
            sum += weights[k];
            c[k] = sum;
        }
        for (int k = 0; k < c.length; k++) {
            c[k] /= sum;
        }
        c[c.length - 1] = 1.0;
        return c;
    }

    /** The index k with cdf[k-1] <= u < cdf[k]. */
    static int sample(double[] cdf, double u) {
        int k = Arrays.binarySearch(cdf, u);
        k = k >= 0 ? k + 1 : -k - 1;
        return Math.min(k, cdf.length - 1);
    }

    private static int[] distinctSample(double[] cdf, int count, SplittableRandom r) {
        int[] out = new int[count];
        boolean[] taken = new boolean[cdf.length];
        int filled = 0;
        int attempts = 0;
        while (filled < count) {
            int k = attempts++ < 50 * count ? sample(cdf, r.nextDouble()) : r.nextInt(cdf.length);
            if (!taken[k]) {
                taken[k] = true;
                out[filled++] = k;
            }
        }
        return out;
    }

    private static int poisson(double mean, SplittableRandom r) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit && k < 100) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }
}
