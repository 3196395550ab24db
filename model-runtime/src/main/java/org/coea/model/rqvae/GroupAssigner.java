package org.coea.model.rqvae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.coea.common.model.GroupCsid;

/**
 * Turns per-user RQ-VAE codes into the G user groups of DSIE, with their representatives (Eq. 7)
 * and quality figures; plain Java over {@code int[][]} codes and {@code float[][]} vectors h_u.
 *
 * <p><b>CSID.</b> A user's CSID is {@code GroupCsid.of(codes[u])}.
 *
 * <p><b>The G rule</b> (METHOD.md's first reading: merge the smallest CSIDs into their nearest
 * surviving group). With more than G distinct CSIDs, the G largest CSIDs survive (by user count;
 * ties go to the lower CSID). Every other CSID joins, whole, the surviving CSID whose centroid
 * (mean h_u of its own users, before any merge) is nearest to its own centroid in Euclidean
 * distance over h-space (ties: the lower CSID). Survivors' centroids are not updated while merging,
 * so the result does not depend on the order of merges; a group keeps the surviving CSID. With G or
 * fewer distinct CSIDs, every CSID is a group, and {@link GroupAssignment#belowTarget()} reports
 * when there are fewer than G.
 *
 * <p><b>Centroids and representatives.</b> mu_g is the mean h_u over the group's final members; R_g
 * are the M members with the smallest {@code ||h_u - mu_g||} (all members when the group has M or
 * fewer), nearest first, ties by user index.
 *
 * <p><b>Cold start.</b> The default CSID is the largest group's (ties: the lower CSID): a user
 * without history lands in the group that covers the most users.
 */
public final class GroupAssigner {
    private final int groups;
    private final int representatives;
    private final long seed;
    private final int cosineGroups;
    private final int cosineSample;

    private GroupAssigner(Builder b) {
        this.groups = b.groups;
        this.representatives = b.representatives;
        this.seed = b.seed;
        this.cosineGroups = b.cosineGroups;
        this.cosineSample = b.cosineSample;
    }

    /** Starts an assigner: {@code setGroups} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Groups the users.
     *
     * @param codes per user, the codes of every level (one length for all)
     * @param vectors per user, h_u (one width for all)
     */
    public GroupAssignment assign(int[][] codes, float[][] vectors) {
        int dim = validate(codes, vectors);
        Map<GroupCsid, List<Integer>> byCsid = new TreeMap<>();
        for (int u = 0; u < codes.length; u++) {
            byCsid.computeIfAbsent(GroupCsid.of(codes[u]), k -> new ArrayList<>()).add(u);
        }
        List<GroupCsid> csids = new ArrayList<>(byCsid.keySet());
        Map<GroupCsid, double[]> centroids = new TreeMap<>();
        for (GroupCsid c : csids) {
            centroids.put(c, mean(vectors, toArray(byCsid.get(c)), dim));
        }
        List<GroupCsid> survivors = new ArrayList<>(csids);
        if (csids.size() > groups) {
            survivors.sort(
                    Comparator.comparingInt((GroupCsid c) -> -byCsid.get(c).size())
                            .thenComparing(Comparator.naturalOrder()));
            survivors = new ArrayList<>(survivors.subList(0, groups));
            survivors.sort(Comparator.naturalOrder());
        }
        Map<GroupCsid, List<Integer>> members = new TreeMap<>();
        Map<GroupCsid, List<GroupCsid>> merged = new TreeMap<>();
        for (GroupCsid s : survivors) {
            members.put(s, new ArrayList<>(byCsid.get(s)));
            merged.put(s, new ArrayList<>());
        }
        List<GroupAssignment.Merge> merges = new ArrayList<>();
        for (GroupCsid c : csids) {
            if (members.containsKey(c)) {
                continue;
            }
            GroupCsid into = null;
            double best = Double.POSITIVE_INFINITY;
            for (GroupCsid s : survivors) {
                double d = distance(centroids.get(c), centroids.get(s));
                if (d < best) {
                    best = d;
                    into = s;
                }
            }
            members.get(into).addAll(byCsid.get(c));
            merged.get(into).add(c);
            merges.add(new GroupAssignment.Merge(c, into, byCsid.get(c).size(), best));
        }
        List<GroupAssignment.Group> out = new ArrayList<>();
        int[] groupOfUser = new int[codes.length];
        int largest = 0;
        for (GroupCsid s : survivors) {
            int[] m = toArray(members.get(s));
            Arrays.sort(m);
            double[] mu = mean(vectors, m, dim);
            int index = out.size();
            for (int u : m) {
                groupOfUser[u] = index;
            }
            out.add(
                    new GroupAssignment.Group(
                            s, m, toFloats(mu), nearest(vectors, m, mu), merged.get(s)));
            if (m.length > out.get(largest).size()) {
                largest = index;
            }
        }
        return new GroupAssignment(out, groupOfUser, merges, csids.size(), groups, largest);
    }

    /**
     * The quality figures of an assignment made from these codes and vectors.
     *
     * <p>The cosine estimator (the paper's Figure 3): from the groups with at least two members,
     * {@code min(cosineGroups, count)} are drawn at random ({@code new Random(seed)} shuffles them,
     * then each drawn group's members in turn); for each drawn group its members are shuffled and
     * split into two disjoint samples A_g and B_g of {@code s = min(cosineSample, size / 2)} users
     * each. {@code intra} is the mean over drawn groups of the mean cosine over all pairs in {@code
     * A_g x B_g}; {@code inter} is the mean over ordered pairs of distinct drawn groups (g, g') of
     * the mean cosine over {@code A_g x B_g'}. Each group, and each pair of groups, weighs the
     * same. A zero vector has cosine 0 with everything.
     *
     * @param codebookSize K, for the usage figure
     */
    public GroupQuality quality(
            GroupAssignment assignment, int[][] codes, float[][] vectors, int codebookSize) {
        validate(codes, vectors);
        if (assignment.users() != codes.length) {
            throw new IllegalArgumentException(
                    "the assignment covers "
                            + assignment.users()
                            + " users, the codes "
                            + codes.length);
        }
        int largest = 0;
        for (GroupAssignment.Group g : assignment.groups()) {
            largest = Math.max(largest, g.size());
        }
        double[] cosine = cosineSeparation(assignment, vectors);
        return new GroupQuality(
                codebookUsage(codes, codebookSize),
                codeEntropyBits(codes),
                assignment.groupCount(),
                assignment.distinctCsids(),
                largest / (double) codes.length,
                (int) cosine[2],
                cosine[0],
                cosine[1]);
    }

    /** Per level, the number of distinct codes used divided by K. */
    public static List<Double> codebookUsage(int[][] codes, int codebookSize) {
        if (codebookSize <= 0) {
            throw new IllegalArgumentException("codebook size must be positive");
        }
        int levels = levels(codes);
        List<Double> out = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            out.add(distinct(codes, l) / (double) codebookSize);
        }
        return out;
    }

    /**
     * Per level, {@code H = -sum_k p_k log2 p_k} with {@code p_k} the share of users whose code at
     * that level is k.
     */
    public static List<Double> codeEntropyBits(int[][] codes) {
        int levels = levels(codes);
        List<Double> out = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            Map<Integer, Integer> counts = new TreeMap<>();
            for (int[] row : codes) {
                counts.merge(row[l], 1, Integer::sum);
            }
            double h = 0;
            for (int c : counts.values()) {
                double p = c / (double) codes.length;
                h -= p * Math.log(p) / Math.log(2);
            }
            out.add(h == 0 ? 0.0 : h);
        }
        return out;
    }

    /** {intra, inter, groups drawn}, as {@link #quality} describes. */
    double[] cosineSeparation(GroupAssignment assignment, float[][] vectors) {
        Random random = new Random(seed);
        List<GroupAssignment.Group> eligible = new ArrayList<>();
        for (GroupAssignment.Group g : assignment.groups()) {
            if (g.size() >= 2) {
                eligible.add(g);
            }
        }
        shuffle(eligible, random);
        int drawn = Math.min(cosineGroups, eligible.size());
        List<float[][]> a = new ArrayList<>();
        List<float[][]> b = new ArrayList<>();
        for (int i = 0; i < drawn; i++) {
            int[] m = eligible.get(i).members();
            shuffle(m, random);
            int s = Math.min(cosineSample, m.length / 2);
            float[][] sa = new float[s][];
            float[][] sb = new float[s][];
            for (int j = 0; j < s; j++) {
                sa[j] = unit(vectors[m[j]]);
                sb[j] = unit(vectors[m[s + j]]);
            }
            a.add(sa);
            b.add(sb);
        }
        double intra = 0;
        double inter = 0;
        int pairs = 0;
        for (int i = 0; i < drawn; i++) {
            intra += meanCosine(a.get(i), b.get(i));
            for (int j = 0; j < drawn; j++) {
                if (j != i) {
                    inter += meanCosine(a.get(i), b.get(j));
                    pairs++;
                }
            }
        }
        return new double[] {
            drawn > 0 ? intra / drawn : Double.NaN, pairs > 0 ? inter / pairs : Double.NaN, drawn
        };
    }

    private static double meanCosine(float[][] a, float[][] b) {
        double sum = 0;
        for (float[] x : a) {
            for (float[] y : b) {
                double dot = 0;
                for (int d = 0; d < x.length; d++) {
                    dot += (double) x[d] * y[d];
                }
                sum += dot;
            }
        }
        return sum / ((double) a.length * b.length);
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                out[i] = (float) (v[i] / n);
            }
        }
        return out;
    }

    /** The members nearest to {@code mu}, at most M, nearest first, ties by user index. */
    private int[] nearest(float[][] vectors, int[] members, double[] mu) {
        Integer[] order = new Integer[members.length];
        double[] d = new double[members.length];
        for (int i = 0; i < members.length; i++) {
            order[i] = i;
            d[i] = distance(vectors[members[i]], mu);
        }
        Arrays.sort(
                order,
                Comparator.comparingDouble((Integer i) -> d[i]).thenComparingInt(i -> members[i]));
        int m = Math.min(representatives, members.length);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = members[order[i]];
        }
        return out;
    }

    private static int distinct(int[][] codes, int level) {
        return (int) Arrays.stream(codes).mapToInt(row -> row[level]).distinct().count();
    }

    private static int levels(int[][] codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.length == 0) {
            throw new IllegalArgumentException("no codes");
        }
        int levels = codes[0].length;
        for (int[] row : codes) {
            if (row.length != levels || levels == 0) {
                throw new IllegalArgumentException(
                        "every user needs the same number (> 0) of codes");
            }
        }
        return levels;
    }

    private static int validate(int[][] codes, float[][] vectors) {
        levels(codes);
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.length != codes.length) {
            throw new IllegalArgumentException(
                    codes.length + " code rows but " + vectors.length + " vectors");
        }
        int dim = vectors[0].length;
        for (float[] v : vectors) {
            if (v.length != dim || dim == 0) {
                throw new IllegalArgumentException("every vector needs the same width (> 0)");
            }
        }
        return dim;
    }

    private static double[] mean(float[][] vectors, int[] users, int dim) {
        double[] mu = new double[dim];
        for (int u : users) {
            for (int d = 0; d < dim; d++) {
                mu[d] += vectors[u][d];
            }
        }
        for (int d = 0; d < dim; d++) {
            mu[d] /= users.length;
        }
        return mu;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static double distance(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static int[] toArray(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static <T> void shuffle(List<T> list, Random random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Builds a {@link GroupAssigner}. */
    public static final class Builder {
        private int groups;
        private int representatives = 10;
        private long seed = 42;
        private int cosineGroups = 10;
        private int cosineSample = 30;

        private Builder() {}

        /** The number of groups G (required; 50 for ML-1M, 4000 industrial). */
        public Builder setGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Representatives per group M (default 10). */
        public Builder optRepresentatives(int representatives) {
            this.representatives = representatives;
            return this;
        }

        /** Seeds the cosine sampling (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Groups drawn for the cosine figures (default 10, as in the paper's Figure 3). */
        public Builder optCosineGroups(int cosineGroups) {
            this.cosineGroups = cosineGroups;
            return this;
        }

        /**
         * Users per sample (two disjoint samples per group) for the cosine figures (default 30).
         */
        public Builder optCosineSample(int cosineSample) {
            this.cosineSample = cosineSample;
            return this;
        }

        /** Validates and finishes the assigner. */
        public GroupAssigner build() {
            if (groups <= 0) {
                throw new IllegalArgumentException("setGroups(G) with G > 0 is required");
            }
            if (representatives <= 0 || cosineGroups <= 0 || cosineSample <= 0) {
                throw new IllegalArgumentException(
                        "representatives, cosine groups and cosine sample must be positive");
            }
            return new GroupAssigner(this);
        }
    }
}
