package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.coea.model.train.ParameterAveraging;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;
import org.junit.jupiter.api.Test;

/**
 * Two workers (threads, as two Spark barrier tasks in one executor are) train one encoder on
 * disjoint halves of the users and average their parameters every few steps.
 */
class DataParallelCsaTest {
    /** Workers meeting at a barrier; every round's inputs and output are recorded. */
    static final class ThreadExchange {
        private final int workers;
        private final CyclicBarrier barrier;
        private final List<Map<Long, Map<String, float[]>>> posted = new ArrayList<>();
        final List<List<Map<String, float[]>>> rounds = new CopyOnWriteArrayList<>();

        ThreadExchange(int workers) {
            this.workers = workers;
            this.barrier = new CyclicBarrier(workers);
            for (int w = 0; w < workers; w++) {
                posted.add(new java.util.concurrent.ConcurrentHashMap<>());
            }
        }

        ParameterAveraging.Exchange worker(int w) {
            return (round, mine) -> {
                posted.get(w).put(round, mine);
                await();
                List<Map<String, float[]>> all = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    all.add(posted.get(i).get(round));
                }
                if (w == 0) {
                    rounds.add(all);
                }
                await(); // nobody posts round + 1 before everyone read round
                return all;
            };
        }

        private void await() {
            try {
                barrier.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void workersEndIdenticalEachRoundIsTheMeanAndTheModelLearns() throws Exception {
        SyntheticSequences data = SyntheticSequences.generate(600, 200, 6, 20, 1);
        CsaConfig config =
                CsaConfig.builder()
                        .setNumItems(200)
                        .setNumFeatureValues(SyntheticSequences.numFeatureValues())
                        .setNumFeatureFields(2)
                        .setMaxLength(16)
                        .build();
        List<int[]> histories = data.histories();
        int steps = 80;
        ThreadExchange exchange = new ThreadExchange(2);
        List<CsaEncoder> encoders = List.of(CsaEncoder.create(config), CsaEncoder.create(config));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ParameterAveraging>> runs = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                runs.add(
                        pool.submit(
                                () -> {
                                    List<int[]> h = new ArrayList<>();
                                    List<int[]> f = new ArrayList<>();
                                    for (int u = worker; u < histories.size(); u += 2) {
                                        h.add(histories.get(u));
                                        f.add(data.features.get(u));
                                    }
                                    ParameterAveraging avg =
                                            new ParameterAveraging(
                                                    exchange.worker(worker), 10, steps);
                                    new CsaTrainer(encoders.get(worker))
                                            .train(
                                                    h,
                                                    f,
                                                    TrainingOptions.builder()
                                                            .setSteps(steps)
                                                            .setLearningRate(3e-3)
                                                            .optBatchSize(32)
                                                            .optWarmupSteps(5)
                                                            .optSeed(10 + worker)
                                                            .build(),
                                                    new TrainingLog(),
                                                    avg);
                                    return avg;
                                }));
            }
            for (Future<ParameterAveraging> r : runs) {
                assertThat(r.get().rounds()).isEqualTo(8);
            }
            Map<String, float[]> a = CsaFixtures.weights(encoders.get(0));
            Map<String, float[]> b = CsaFixtures.weights(encoders.get(1));
            for (String name : a.keySet()) {
                assertThat(b.get(name)).as(name).containsExactly(a.get(name));
            }
            // the last round's mean, computed here in double, is what both hold
            List<Map<String, float[]>> last = exchange.rounds.get(exchange.rounds.size() - 1);
            for (String name : a.keySet()) {
                float[] x = last.get(0).get(name);
                float[] y = last.get(1).get(name);
                for (int i = 0; i < x.length; i++) {
                    assertThat((double) a.get(name)[i])
                            .isCloseTo(((double) x[i] + y[i]) / 2, within(1e-6));
                }
            }
            List<LeaveOneOutCase> cases = data.cases();
            int[][] negatives = CsaEvaluator.sampleNegatives(cases, 200, CsaEvaluator.NEGATIVES, 7);
            RankingResult pop =
                    PopularityBaseline.fit(histories, 200).leaveOneOut(cases, negatives);
            RankingResult averaged = CsaEvaluator.leaveOneOut(encoders.get(0), cases, negatives);
            System.out.printf(
                    "data-parallel CSA: %s after %d steps on 2 workers, popularity %s%n",
                    averaged, steps, pop);
            assertThat(averaged.hitRate(10)).isGreaterThan(pop.hitRate(10) + 0.3);
        } finally {
            pool.shutdownNow();
            encoders.forEach(CsaEncoder::close);
        }
    }
}
