package org.coea.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.testutils.NaiveQwen2;
import org.coea.model.testutils.TinyQwen2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    static final int EOS = 1;
    static final int PAD = 0;

    NDManager manager;
    Qwen2Model model;
    Qwen2Config config;
    Generator generator;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        config = TinyQwen2.config();
        model =
                Qwen2Model.of(
                        config, manager.newSubManager(), TinyQwen2.weights(config, manager, 21));
        generator = new Generator(model, EOS, PAD);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static final List<int[]> PROMPTS =
            List.of(new int[] {5, 9, 13}, new int[] {7, 2, 30, 31, 8}, new int[] {22});

    @Test
    void greedyWithCacheEqualsWithoutAndBatchedEqualsSingle() {
        GenerationConfig greedy = GenerationConfig.greedy(6);
        List<int[]> cached = generator.generate(PROMPTS, greedy, Qwen2Model.BASE, true);
        List<int[]> uncached = generator.generate(PROMPTS, greedy, Qwen2Model.BASE, false);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(cached.get(i)).isEqualTo(uncached.get(i));
            assertThat(
                            generator
                                    .generate(
                                            List.of(PROMPTS.get(i)), greedy, Qwen2Model.BASE, true)
                                    .get(0))
                    .isEqualTo(cached.get(i));
        }
        // Independent: greedy by argmax over the naive reference's logits, one full pass per token.
        NaiveQwen2 naive = new NaiveQwen2(config, TinyQwen2.values(model.parameters()));
        List<Integer> seq = new ArrayList<>(List.of(5, 9, 13));
        List<Integer> expected = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            double[][] logits = naive.logits(seq.stream().mapToInt(Integer::intValue).toArray());
            double[] last = logits[logits.length - 1];
            int best = 0;
            for (int v = 1; v < last.length; v++) {
                if (last[v] > last[best]) {
                    best = v;
                }
            }
            expected.add(best);
            seq.add(best);
            if (best == EOS) {
                break;
            }
        }
        assertThat(cached.get(0))
                .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void samplingIsSeededAndTopKOneIsGreedy() {
        GenerationConfig s1 = GenerationConfig.sampling(8, 1.0, 0, 1.0, 7);
        assertThat(generator.generate(PROMPTS, s1, Qwen2Model.BASE, true))
                .usingRecursiveComparison()
                .isEqualTo(generator.generate(PROMPTS, s1, Qwen2Model.BASE, true));
        List<int[]> a =
                generator.generate(
                        PROMPTS,
                        GenerationConfig.sampling(8, 1.5, 0, 1.0, 1),
                        Qwen2Model.BASE,
                        true);
        List<int[]> b =
                generator.generate(
                        PROMPTS,
                        GenerationConfig.sampling(8, 1.5, 0, 1.0, 2),
                        Qwen2Model.BASE,
                        true);
        assertThat(a).usingRecursiveComparison().isNotEqualTo(b);
        assertThat(
                        generator.generate(
                                PROMPTS,
                                GenerationConfig.sampling(6, 1.0, 1, 1.0, 3),
                                Qwen2Model.BASE,
                                true))
                .usingRecursiveComparison()
                .isEqualTo(
                        generator.generate(
                                PROMPTS, GenerationConfig.greedy(6), Qwen2Model.BASE, true));
    }

    @Test
    void samplingFollowsTemperatureTopKAndTopP() {
        float[] logits = {2.0f, 1.0f, 0.5f, -1.0f, 0.0f};
        double t = 0.8;
        double[] p = new double[logits.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] / t);
            z += p[i];
        }
        int[] counts = new int[logits.length];
        SplittableRandom r = new SplittableRandom(9);
        int n = 40_000;
        GenerationConfig c = GenerationConfig.sampling(1, t, 0, 1.0, 0);
        for (int i = 0; i < n; i++) {
            counts[Sampling.sample(logits, null, c, r)]++;
        }
        for (int i = 0; i < p.length; i++) {
            assertThat(counts[i] / (double) n)
                    .as("token %d", i)
                    .isCloseTo(p[i] / z, Offset.offset(0.01));
        }
        // top-p 0.7 at temperature 0.8: the sorted probabilities 0.61, 0.17, ... reach 0.7 with two
        // tokens.
        GenerationConfig nucleus = GenerationConfig.sampling(1, t, 0, 0.7, 0);
        GenerationConfig top2 = GenerationConfig.sampling(1, t, 2, 1.0, 0);
        for (int i = 0; i < 2000; i++) {
            assertThat(Sampling.sample(logits, null, nucleus, r)).isIn(0, 1);
            assertThat(Sampling.sample(logits, null, top2, r)).isIn(0, 1);
        }
        boolean[] allowed = {false, false, true, true, false};
        for (int i = 0; i < 200; i++) {
            assertThat(Sampling.sample(logits, allowed, c, r)).isIn(2, 3);
        }
    }

    @Test
    void beamSearchIsAtLeastAsLikelyAsGreedy() {
        int[] prompt = PROMPTS.get(1);
        int[] greedy =
                generator
                        .generate(
                                List.of(prompt), GenerationConfig.greedy(4), Qwen2Model.BASE, true)
                        .get(0);
        int[] beam1 =
                generator
                        .generate(
                                List.of(prompt), GenerationConfig.beam(4, 1), Qwen2Model.BASE, true)
                        .get(0);
        assertThat(beam1).isEqualTo(greedy);
        int[] beam4 =
                generator
                        .generate(
                                List.of(prompt), GenerationConfig.beam(4, 4), Qwen2Model.BASE, true)
                        .get(0);
        double g = meanLogProb(prompt, greedy);
        double b = meanLogProb(prompt, beam4);
        assertThat(b).isGreaterThanOrEqualTo(g - 1e-6);
    }

    private double meanLogProb(int[] prompt, int[] continuation) {
        try (NDManager m = manager.newSubManager()) {
            SequenceScorer.Scored s =
                    SequenceScorer.score(
                            model, m, List.of(prompt), List.of(continuation), PAD, Qwen2Model.BASE);
            return s.sum().getFloat(0) / continuation.length;
        }
    }

    /** Answers: "categories" of one or two tokens, each ending with eos. */
    static TokenTrie answers() {
        return new TokenTrie(
                List.of(
                        new int[] {10, EOS},
                        new int[] {11, EOS},
                        new int[] {12, 20, EOS},
                        new int[] {12, 21, EOS},
                        new int[] {13, EOS},
                        new int[] {14, 15, EOS}));
    }

    @Test
    void topCandidatesAreTheExactTopNWithoutExcludedAnswers() {
        TokenTrie trie = answers();
        Set<Integer> excluded = Set.of(1, 3);
        int[] prompt = PROMPTS.get(0);
        List<Candidate> top =
                generator
                        .topCandidates(List.of(prompt), trie, List.of(excluded), 3, Qwen2Model.BASE)
                        .get(0);
        // Independent: score every allowed answer by full teacher forcing, no shared cache.
        List<double[]> all = new ArrayList<>();
        for (int a = 0; a < trie.size(); a++) {
            if (excluded.contains(a)) {
                continue;
            }
            try (NDManager m = manager.newSubManager()) {
                double lp =
                        SequenceScorer.score(
                                        model,
                                        m,
                                        List.of(prompt),
                                        List.of(trie.sequence(a)),
                                        PAD,
                                        Qwen2Model.BASE)
                                .sum()
                                .getFloat(0);
                all.add(new double[] {a, lp});
            }
        }
        all.sort((x, y) -> Double.compare(y[1], x[1]));
        assertThat(top).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(top.get(i).answer()).isEqualTo((int) all.get(i)[0]);
            assertThat(top.get(i).logProb()).isCloseTo(all.get(i)[1], Offset.offset(1e-4));
            assertThat(excluded).doesNotContain(top.get(i).answer());
        }
    }

    @Test
    void sampledCandidatesAreDistinctValidAndNotExcluded() {
        TokenTrie trie = answers();
        Set<Integer> excluded = Set.of(0, 4);
        List<Candidate> c =
                generator.sampleCandidates(
                        PROMPTS.get(2),
                        trie,
                        excluded,
                        3,
                        GenerationConfig.sampling(3, 2.0, 0, 1.0, 5),
                        Qwen2Model.BASE);
        assertThat(c).hasSize(3);
        assertThat(c.stream().map(Candidate::answer).distinct().count()).isEqualTo(3);
        for (Candidate x : c) {
            assertThat(excluded).doesNotContain(x.answer());
            assertThat(x.tokens()).isEqualTo(trie.sequence(x.answer()));
        }
        // Asking for more than exist gives every allowed answer once.
        assertThat(
                        generator.sampleCandidates(
                                PROMPTS.get(2),
                                trie,
                                excluded,
                                10,
                                GenerationConfig.sampling(3, 3.0, 0, 1.0, 6),
                                Qwen2Model.BASE))
                .hasSize(4);
    }

    @Test
    void scorerMatchesTheNaiveReferenceLogSoftmax() {
        int[] prompt = {4, 8, 15};
        int[] continuation = {16, 23, 1};
        double[][] logits =
                new NaiveQwen2(config, TinyQwen2.values(model.parameters()))
                        .logits(new int[] {4, 8, 15, 16, 23, 1});
        double expected = 0;
        int[] seq = {4, 8, 15, 16, 23, 1};
        for (int pos = 2; pos < 5; pos++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[pos]) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (double v : logits[pos]) {
                z += Math.exp(v - max);
            }
            expected += logits[pos][seq[pos + 1]] - max - Math.log(z);
        }
        try (NDManager m = manager.newSubManager()) {
            SequenceScorer.Scored s =
                    SequenceScorer.score(
                            model,
                            m,
                            List.of(prompt, new int[] {9}),
                            List.of(continuation, new int[] {2, 3}),
                            PAD,
                            Qwen2Model.BASE);
            assertThat((double) s.sum().getFloat(0)).isCloseTo(expected, Offset.offset(1e-4));
            assertThat(s.count().toFloatArray()).containsExactly(3f, 2f);
        }
    }

    @Test
    void trieRejectsPrefixAnswersAndPrunesExcludedBranches() {
        assertThatThrownBy(() -> new TokenTrie(List.of(new int[] {1}, new int[] {1, 2})))
                .hasMessageContaining("prefix");
        TokenTrie trie = answers();
        assertThat(trie.next(List.of(), Set.of())).containsExactly(10, 11, 12, 13, 14);
        assertThat(trie.next(List.of(), Set.of(2, 3))).containsExactly(10, 11, 13, 14);
        assertThat(trie.next(List.of(12), Set.of(2))).containsExactly(21);
        assertThat(trie.answer(List.of(12, 21, EOS))).isEqualTo(3);
        assertThat(trie.answer(List.of(12))).isEqualTo(-1);
    }
}
