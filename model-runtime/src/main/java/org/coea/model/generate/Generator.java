package org.coea.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.coea.model.qwen2.KvCache;
import org.coea.model.qwen2.Qwen2Model;

/**
 * Decodes with a {@link Qwen2Model}: batched greedy and seeded sampling (with or without the KV
 * cache), beam search, and decoding constrained to a {@link TokenTrie} of valid answers (category
 * names), never producing an excluded answer (the short-term categories, Eq. 10).
 */
public final class Generator {
    private final Qwen2Model model;
    private final int eosId;
    private final int padId;

    /** A generator over a model with the tokenizer's eos and pad ids. */
    public Generator(Qwen2Model model, int eosId, int padId) {
        this.model = model;
        this.eosId = eosId;
        this.padId = padId;
    }

    /**
     * Generates a continuation per prompt (without the prompt, ending with eos unless the token
     * limit came first).
     *
     * @param useCache whether to decode incrementally with the KV cache (false recomputes the whole
     *     sequence each step; for benchmarks and checks)
     */
    public List<int[]> generate(
            List<int[]> prompts, GenerationConfig config, String adapter, boolean useCache) {
        if (config.strategy() == GenerationConfig.Strategy.BEAM) {
            List<int[]> out = new ArrayList<>();
            for (int[] p : prompts) {
                out.add(beam(p, config, adapter));
            }
            return out;
        }
        return decode(prompts, config, adapter, useCache, null, null);
    }

    /**
     * Token-by-token decoding of a batch; with a trie, each row may only follow the trie (and never
     * reach an excluded answer).
     */
    private List<int[]> decode(
            List<int[]> prompts,
            GenerationConfig config,
            String adapter,
            boolean useCache,
            TokenTrie trie,
            List<Set<Integer>> excluded) {
        int b = prompts.size();
        SplittableRandom random = new SplittableRandom(config.seed());
        List<List<Integer>> generated = new ArrayList<>();
        boolean[] done = new boolean[b];
        for (int i = 0; i < b; i++) {
            generated.add(new ArrayList<>());
        }
        try (NDManager m = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().numHiddenLayers())) {
            TokenBatch batch = TokenBatch.of(m, prompts, padId, true);
            NDArray mask = batch.mask();
            NDArray step = batch.ids();
            for (int t = 0; t < config.maxNewTokens(); t++) {
                float[][] last;
                try (NDManager s = m.newSubManager()) {
                    NDArray ids = step;
                    NDArray hidden;
                    if (useCache) {
                        hidden = model.forward(ids, mask, Optional.of(cache), adapter);
                    } else {
                        hidden =
                                model.forward(
                                        fullIds(m, prompts, generated, batch),
                                        mask,
                                        Optional.empty(),
                                        adapter);
                    }
                    NDArray logits =
                            model.logits(hidden.get(":, -1, :"), adapter)
                                    .toType(DataType.FLOAT32, false);
                    last = rows(logits.toFloatArray(), b);
                    hidden.tempAttach(s);
                }
                long[] next = new long[b];
                long[] nextMask = new long[b];
                boolean all = true;
                for (int i = 0; i < b; i++) {
                    if (done[i]) {
                        next[i] = padId;
                        continue;
                    }
                    boolean[] allowed = null;
                    if (trie != null) {
                        allowed =
                                allowedMask(
                                        trie, generated.get(i), excluded.get(i), last[i].length);
                    }
                    int token =
                            config.strategy() == GenerationConfig.Strategy.SAMPLE
                                    ? Sampling.sample(last[i], allowed, config, random)
                                    : Sampling.argmax(last[i], allowed);
                    generated.get(i).add(token);
                    next[i] = token;
                    nextMask[i] = 1;
                    if (token == eosId || (trie != null && trie.answer(generated.get(i)) >= 0)) {
                        done[i] = true;
                    }
                    all &= done[i];
                }
                if (all) {
                    break;
                }
                step = m.create(next).reshape(b, 1);
                mask = mask.concat(m.create(nextMask).reshape(b, 1), 1);
            }
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> g : generated) {
            out.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private NDArray fullIds(
            NDManager m, List<int[]> prompts, List<List<Integer>> generated, TokenBatch batch) {
        long width = batch.ids().getShape().get(1);
        int g = generated.get(0).size();
        long[][] ids = new long[prompts.size()][(int) width + g];
        long[] promptIds = batch.ids().toLongArray();
        for (int i = 0; i < prompts.size(); i++) {
            for (int j = 0; j < width; j++) {
                ids[i][j] = promptIds[(int) (i * width + j)];
            }
            List<Integer> gi = generated.get(i);
            for (int j = 0; j < g; j++) {
                ids[i][(int) width + j] = j < gi.size() ? gi.get(j) : padId;
            }
        }
        return m.create(ids);
    }

    private static boolean[] allowedMask(
            TokenTrie trie, List<Integer> prefix, Set<Integer> excluded, int vocab) {
        boolean[] allowed = new boolean[vocab];
        for (int t : trie.next(prefix, excluded)) {
            allowed[t] = true;
        }
        return allowed;
    }

    private static float[][] rows(float[] flat, int b) {
        int v = flat.length / b;
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(flat, i * v, (i + 1) * v);
        }
        return out;
    }

    /** Beam search for one prompt; the best finished hypothesis by mean token log-probability. */
    private int[] beam(int[] prompt, GenerationConfig config, String adapter) {
        int k = config.numBeams();
        List<int[]> finished = new ArrayList<>();
        List<Double> finishedScore = new ArrayList<>();
        try (NDManager m = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().numHiddenLayers())) {
            NDArray mask = m.create(ones(prompt.length)).reshape(1, prompt.length);
            NDArray hidden =
                    model.forward(
                            m.create(toLong(prompt)).reshape(1, prompt.length),
                            mask,
                            Optional.of(cache),
                            adapter);
            float[][] logits =
                    rows(
                            model.logits(hidden.get(":, -1, :"), adapter)
                                    .toType(DataType.FLOAT32, false)
                                    .toFloatArray(),
                            1);
            List<int[]> beams = new ArrayList<>(List.of(new int[0]));
            double[] scores = {0.0};
            for (int t = 0; t < config.maxNewTokens() && !beams.isEmpty(); t++) {
                List<double[]> expansions = new ArrayList<>(); // {score, beam, token}
                for (int bi = 0; bi < beams.size(); bi++) {
                    double[] logp = Sampling.logSoftmax(logits[bi], null, 1.0);
                    Integer[] order = topIndices(logp, 2 * k);
                    for (int tok : order) {
                        expansions.add(new double[] {scores[bi] + logp[tok], bi, tok});
                    }
                }
                expansions.sort(
                        Comparator.comparingDouble((double[] e) -> -e[0])
                                .thenComparingDouble(e -> e[1])
                                .thenComparingDouble(e -> e[2]));
                List<int[]> nextBeams = new ArrayList<>();
                List<Double> nextScores = new ArrayList<>();
                List<Long> parents = new ArrayList<>();
                for (double[] e : expansions) {
                    int[] seq = Arrays.copyOf(beams.get((int) e[1]), t + 1);
                    seq[t] = (int) e[2];
                    if (seq[t] == eosId) {
                        finished.add(seq);
                        finishedScore.add(e[0] / seq.length);
                    } else if (nextBeams.size() < k) {
                        nextBeams.add(seq);
                        nextScores.add(e[0]);
                        parents.add((long) e[1]);
                    }
                    if (nextBeams.size() == k && finished.size() >= k) {
                        break;
                    }
                }
                if (finished.size() >= k || nextBeams.isEmpty() || t == config.maxNewTokens() - 1) {
                    for (int i = 0; i < nextBeams.size() && finished.isEmpty(); i++) {
                        finished.add(nextBeams.get(i));
                        finishedScore.add(nextScores.get(i) / nextBeams.get(i).length);
                    }
                    break;
                }
                cache.select(m.create(parents.stream().mapToLong(Long::longValue).toArray()));
                mask = mask.get(m.create(parents.stream().mapToLong(Long::longValue).toArray()));
                long[] tokens = new long[nextBeams.size()];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = nextBeams.get(i)[t];
                }
                mask = mask.concat(mask.get(":, 0:1").onesLike(), 1);
                hidden =
                        model.forward(
                                m.create(tokens).reshape(tokens.length, 1),
                                mask,
                                Optional.of(cache),
                                adapter);
                logits =
                        rows(
                                model.logits(hidden.get(":, -1, :"), adapter)
                                        .toType(DataType.FLOAT32, false)
                                        .toFloatArray(),
                                tokens.length);
                beams = nextBeams;
                scores = nextScores.stream().mapToDouble(Double::doubleValue).toArray();
            }
        }
        int best = 0;
        for (int i = 1; i < finished.size(); i++) {
            if (finishedScore.get(i) > finishedScore.get(best)) {
                best = i;
            }
        }
        return finished.get(best);
    }

    private static Integer[] topIndices(double[] logp, int n) {
        Integer[] order = new Integer[logp.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) ->
                        Double.compare(logp[b], logp[a]) != 0
                                ? Double.compare(logp[b], logp[a])
                                : Integer.compare(a, b));
        return Arrays.copyOf(order, Math.min(n, order.length));
    }

    /**
     * The N most likely valid answers after each prompt, excluding some, with their exact
     * log-probabilities: every allowed answer is scored by teacher forcing on a copy of the
     * prompt's KV cache, so the result is the exact top N (a beam search with an unbounded beam).
     *
     * @param excluded per prompt, the answer indices that must not be proposed
     */
    public List<List<Candidate>> topCandidates(
            List<int[]> prompts,
            TokenTrie answers,
            List<Set<Integer>> excluded,
            int n,
            String adapter) {
        List<List<Candidate>> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            List<Integer> allowed = new ArrayList<>();
            for (int a = 0; a < answers.size(); a++) {
                if (!excluded.get(i).contains(a)) {
                    allowed.add(a);
                }
            }
            double[] logp = answerLogProbs(prompts.get(i), answers, allowed, adapter);
            List<Candidate> cands = new ArrayList<>();
            for (int j = 0; j < allowed.size(); j++) {
                cands.add(new Candidate(allowed.get(j), answers.sequence(allowed.get(j)), logp[j]));
            }
            cands.sort(
                    Comparator.comparingDouble((Candidate c) -> -c.logProb())
                            .thenComparingInt(Candidate::answer));
            out.add(List.copyOf(cands.subList(0, Math.min(n, cands.size()))));
        }
        return out;
    }

    /**
     * Up to N distinct valid answers per prompt drawn by constrained sampling (diverse candidates
     * for DPO pairs), each with its exact log-probability, most likely first.
     */
    public List<Candidate> sampleCandidates(
            int[] prompt,
            TokenTrie answers,
            Set<Integer> excluded,
            int n,
            GenerationConfig config,
            String adapter) {
        Map<Integer, int[]> found = new LinkedHashMap<>();
        int available = answers.size() - excluded.size();
        long seed = config.seed();
        for (int round = 0; round < 8 && found.size() < Math.min(n, available); round++) {
            int rows = 2 * n;
            List<int[]> batch = new ArrayList<>();
            List<Set<Integer>> ex = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                batch.add(prompt);
                ex.add(excluded);
            }
            int maxLen = 0;
            for (int a = 0; a < answers.size(); a++) {
                maxLen = Math.max(maxLen, answers.sequence(a).length);
            }
            GenerationConfig c =
                    new GenerationConfig(
                            maxLen,
                            GenerationConfig.Strategy.SAMPLE,
                            config.temperature(),
                            config.topK(),
                            config.topP(),
                            1,
                            seed + round);
            for (int[] g : decode(batch, c, adapter, true, answers, ex)) {
                int a = answers.answer(Arrays.stream(g).boxed().toList());
                if (a >= 0 && !excluded.contains(a) && found.size() < n) {
                    found.putIfAbsent(a, g);
                }
            }
        }
        List<Integer> picked = new ArrayList<>(found.keySet());
        double[] logp = answerLogProbs(prompt, answers, picked, adapter);
        List<Candidate> out = new ArrayList<>();
        for (int j = 0; j < picked.size(); j++) {
            out.add(new Candidate(picked.get(j), answers.sequence(picked.get(j)), logp[j]));
        }
        out.sort(
                Comparator.comparingDouble((Candidate c) -> -c.logProb())
                        .thenComparingInt(Candidate::answer));
        return out;
    }

    /** Log-probabilities of the given answers after one prompt, sharing the prompt's KV cache. */
    private double[] answerLogProbs(
            int[] prompt, TokenTrie answers, List<Integer> which, String adapter) {
        int c = which.size();
        double[] out = new double[c];
        if (c == 0) {
            return out;
        }
        try (NDManager m = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().numHiddenLayers())) {
            NDArray promptMask = m.create(ones(prompt.length)).reshape(1, prompt.length);
            NDArray hidden =
                    model.forward(
                            m.create(toLong(prompt)).reshape(1, prompt.length),
                            promptMask,
                            Optional.of(cache),
                            adapter);
            double[] first =
                    Sampling.logSoftmax(
                            rows(
                                    model.logits(hidden.get(":, -1, :"), adapter)
                                            .toType(DataType.FLOAT32, false)
                                            .toFloatArray(),
                                    1)[0],
                            null,
                            1.0);
            List<int[]> seqs = new ArrayList<>();
            int maxLen = 0;
            for (int j = 0; j < c; j++) {
                int[] s = answers.sequence(which.get(j));
                seqs.add(s);
                out[j] = first[s[0]];
                maxLen = Math.max(maxLen, s.length);
            }
            if (maxLen > 1) {
                cache.select(m.zeros(new ai.djl.ndarray.types.Shape(c), DataType.INT64));
                List<int[]> inputs = new ArrayList<>();
                for (int[] s : seqs) {
                    inputs.add(Arrays.copyOf(s, Math.max(1, s.length - 1)));
                }
                TokenBatch tail = TokenBatch.of(m, inputs, padId, false);
                NDArray mask =
                        m.ones(new ai.djl.ndarray.types.Shape(c, prompt.length), DataType.INT64)
                                .concat(tail.mask(), 1);
                NDArray h = model.forward(tail.ids(), mask, Optional.of(cache), adapter);
                NDArray logSoftmax =
                        model.logits(h, adapter).toType(DataType.FLOAT32, false).logSoftmax(-1);
                long width = tail.ids().getShape().get(1);
                float[] flat = logSoftmax.toFloatArray();
                int vocab = (int) logSoftmax.getShape().get(2);
                for (int j = 0; j < c; j++) {
                    int[] s = seqs.get(j);
                    for (int pos = 1; pos < s.length; pos++) {
                        out[j] += flat[(int) ((j * width + (pos - 1)) * vocab + s[pos])];
                    }
                }
            }
        }
        return out;
    }

    private static long[] toLong(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }

    private static long[] ones(int n) {
        long[] v = new long[n];
        Arrays.fill(v, 1);
        return v;
    }
}
