package org.coea.common.eval;

import java.io.Serializable;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sums the per-user metrics of one system at K in {1, 5, 10} and the categories its top K lists
 * cover; {@link #means} averages over users. Mergeable, so Spark partitions accumulate separately.
 */
public final class MetricsAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The cut-offs of the protocol. */
    public static final List<Integer> KS = List.of(1, 5, 10);

    /** The metric names, as METHOD.md writes them, without the {@code @K}. */
    public static final List<String> METRICS = List.of("C-H", "C-N", "NCP", "CLTP", "S-H");

    private final int categories;
    private final double[] sums = new double[METRICS.size() * KS.size()];
    private final BitSet[] covered = new BitSet[KS.size()];
    private long users;

    /**
     * @param categories the catalogue size, for coverage
     */
    public MetricsAccumulator(int categories) {
        if (categories <= 0) {
            throw new IllegalArgumentException("the catalogue needs categories: " + categories);
        }
        this.categories = categories;
        for (int i = 0; i < covered.length; i++) {
            covered[i] = new BitSet(categories);
        }
    }

    /**
     * Adds one user's list.
     *
     * @param ranked the system's categories, best first (already completed to K where needed)
     * @param clicked P: categories clicked in the test window
     * @param history H: categories of the training history
     * @param shortTerm S: the short-term set
     * @param longTail LT: the long-tail categories
     */
    public MetricsAccumulator add(
            List<Integer> ranked,
            Set<Integer> clicked,
            Set<Integer> history,
            Set<Integer> shortTerm,
            Set<Integer> longTail) {
        for (int j = 0; j < KS.size(); j++) {
            int k = KS.get(j);
            int base = j * METRICS.size();
            sums[base] += CategoryMetrics.hits(ranked, clicked, k);
            sums[base + 1] += CategoryMetrics.ndcg(ranked, clicked, k);
            sums[base + 2] += CategoryMetrics.novelty(ranked, history, k);
            sums[base + 3] += CategoryMetrics.longTail(ranked, longTail, k);
            sums[base + 4] += CategoryMetrics.serendipitousHits(ranked, shortTerm, clicked, k);
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                int c = ranked.get(i);
                if (c >= 0 && c < categories) {
                    covered[j].set(c);
                }
            }
        }
        users++;
        return this;
    }

    /** Adds another accumulator's users (same catalogue). */
    public MetricsAccumulator merge(MetricsAccumulator other) {
        if (other.categories != categories) {
            throw new IllegalArgumentException("merging accumulators of different catalogues");
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        for (int i = 0; i < covered.length; i++) {
            covered[i].or(other.covered[i]);
        }
        users += other.users;
        return this;
    }

    /** Users added. */
    public long users() {
        return users;
    }

    /**
     * The means, e.g. {@code C-H@1}, ..., {@code S-H@10}, then {@code Coverage@K} (share of the
     * catalogue in at least one user's top K); NaN without users.
     */
    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < KS.size(); j++) {
            for (int m = 0; m < METRICS.size(); m++) {
                out.put(
                        METRICS.get(m) + "@" + KS.get(j),
                        users == 0 ? Double.NaN : sums[j * METRICS.size() + m] / users);
            }
        }
        for (int j = 0; j < KS.size(); j++) {
            out.put("Coverage@" + KS.get(j), covered[j].cardinality() / (double) categories);
        }
        return out;
    }
}
