package org.coea.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Data-parallel training by periodic parameter averaging (local SGD): every worker trains the same
 * initial model on its own shard of the data with its own optimizer, and every {@code every} steps
 * (and after the last step) the workers exchange their parameters and each replaces its own with
 * the mean. Optimizer moments stay local. Workers must run the same number of steps, so they meet
 * at every exchange; after the last one they hold identical parameters.
 *
 * <p>The transport is an {@link Exchange}: threads in one JVM, or Spark barrier tasks writing to a
 * shared file system.
 */
public final class ParameterAveraging implements TrainingLoop.AfterStep {
    /** Hands this worker's parameters to every worker and returns all workers' parameters. */
    @FunctionalInterface
    public interface Exchange {
        /**
         * Blocks until every worker has contributed to {@code round}.
         *
         * @return every worker's parameters in worker order, this worker's included
         */
        List<Map<String, float[]>> allGather(long round, Map<String, float[]> mine);
    }

    private final Exchange exchange;
    private final int every;
    private final long lastStep;
    private long rounds;

    /**
     * @param every steps between averages
     * @param lastStep the final step of the run, always followed by an average
     */
    public ParameterAveraging(Exchange exchange, int every, long lastStep) {
        if (every <= 0 || lastStep <= 0) {
            throw new IllegalArgumentException("every and lastStep must be positive");
        }
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.every = every;
        this.lastStep = lastStep;
    }

    @Override
    public void accept(long step, Map<String, NDArray> parameters) {
        if (step % every != 0 && step != lastStep) {
            return;
        }
        Map<String, float[]> mine = new LinkedHashMap<>();
        parameters.forEach((name, p) -> mine.put(name, p.toFloatArray()));
        Map<String, float[]> mean = mean(exchange.allGather(rounds++, mine));
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            try (NDManager scope = p.getManager().newSubManager()) {
                NDArray avg = scope.create(mean.get(e.getKey()), p.getShape());
                p.set(new NDIndex("..."), avg.toType(p.getDataType(), false));
            }
        }
    }

    /** Exchanges completed so far. */
    public long rounds() {
        return rounds;
    }

    /**
     * The element-wise mean of the workers' parameters, summed in worker order.
     *
     * @throws IllegalStateException when the workers disagree on the names or sizes
     */
    public static Map<String, float[]> mean(List<Map<String, float[]>> workers) {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("no workers");
        }
        Map<String, float[]> first = workers.get(0);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : first.entrySet()) {
            float[] sum = new float[e.getValue().length];
            List<float[]> parts = new ArrayList<>();
            for (int w = 0; w < workers.size(); w++) {
                float[] v = workers.get(w).get(e.getKey());
                if (v == null || v.length != sum.length) {
                    throw new IllegalStateException(
                            "worker "
                                    + w
                                    + " has "
                                    + (v == null ? "no" : v.length + " values for")
                                    + " parameter "
                                    + e.getKey()
                                    + ", worker 0 has "
                                    + sum.length);
                }
                parts.add(v);
            }
            for (float[] v : parts) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += v[i];
                }
            }
            float n = workers.size();
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= n;
            }
            out.put(e.getKey(), sum);
        }
        for (int w = 1; w < workers.size(); w++) {
            if (!workers.get(w).keySet().equals(first.keySet())) {
                throw new IllegalStateException(
                        "worker "
                                + w
                                + " has parameters "
                                + workers.get(w).keySet()
                                + ", worker 0 has "
                                + first.keySet());
            }
        }
        return out;
    }
}
