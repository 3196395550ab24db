package org.coea.model.pco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.coea.model.generate.TokenBatch;
import org.coea.model.lora.LoraAdapters;
import org.coea.model.lora.LoraConfig;
import org.coea.model.lora.PeftAdapters;
import org.coea.model.nd.GradMode;
import org.coea.model.prompt.PromptKind;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.train.DpoTrainer;
import org.coea.model.train.PreferencePair;
import org.coea.model.train.SftExample;
import org.coea.model.train.SftTrainer;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;

/**
 * The Novelty model: trained by SFT on Eq. 8 examples (full weights, from scratch, for the embedded
 * model), it proposes categories outside the short-term set (Eq. 10); each PCO cycle aligns its
 * LoRA adapter {@value #POLICY} by DPO with KL against a frozen copy of the previous cycle's
 * adapter (Eq. 16-17).
 *
 * <p>Proposals are exact under decoding constrained to valid categories: every answer is one
 * category token then {@code <eos>}, the only continuation the constraint allows after it, so a
 * category's probability is its first-token probability renormalised over the allowed categories.
 * One batched forward pass scores every category for a batch of prompts.
 */
public final class NoveltyModel implements AutoCloseable {
    /** The adapter that DPO trains and the registry versions. */
    public static final String POLICY = "policy";

    static final String REFERENCE = "reference";
    static final String ADAPTER_DIR = "adapter";
    private static final int BATCH = 256;
    private static final int EVAL_PAIRS = 1024;
    private static final int EVAL_CHUNK = 256;

    private final DomainLm lm;
    private final int[] categoryTokens;
    private LoraConfig lora;

    private NoveltyModel(DomainLm lm) {
        this.lm = lm;
        this.categoryTokens = new int[lm.categories()];
        for (int c = 0; c < categoryTokens.length; c++) {
            categoryTokens[c] = lm.vocabulary.categoryToken(lm.name(c));
        }
    }

    /** A new model with random weights (train it with {@link #sft}). */
    public static NoveltyModel create(
            DomainTokenizer vocabulary, TinyLmSpec spec, PromptSettings settings, long seed) {
        return new NoveltyModel(DomainLm.create(vocabulary, spec, settings, seed));
    }

    /** Loads a saved model, with its {@value #POLICY} adapter when the directory has one. */
    public static NoveltyModel load(Path dir) {
        NoveltyModel m = new NoveltyModel(DomainLm.load(dir));
        if (Files.isDirectory(dir.resolve(ADAPTER_DIR))) {
            m.loadAdapter(dir.resolve(ADAPTER_DIR));
        }
        return m;
    }

    /** Saves the base model, and the adapter under {@code adapter/} when there is one. */
    public void save(Path dir) {
        lm.save(dir);
        if (lora != null) {
            saveAdapter(dir.resolve(ADAPTER_DIR));
        }
    }

    /** Saves the {@value #POLICY} adapter in PEFT format. */
    public void saveAdapter(Path dir) {
        if (lora == null) {
            throw new IllegalStateException("the Novelty model has no adapter yet (no DPO cycle)");
        }
        PeftAdapters.save(lm.model, POLICY, lora, dir);
    }

    /** Replaces the {@value #POLICY} adapter with a saved one. */
    public void loadAdapter(Path dir) {
        if (lora != null) {
            LoraAdapters.remove(lm.model, POLICY);
        }
        lora = PeftAdapters.load(lm.model, POLICY, dir);
    }

    /** The prompt settings. */
    public PromptSettings settings() {
        return lm.settings;
    }

    /** Number of categories the model can propose. */
    public int categories() {
        return lm.categories();
    }

    /** SFT (Eq. 9) of all weights on (prompt, target category) examples. */
    public TrainingLog sft(
            List<PcoPrompt> prompts,
            int[] targets,
            TrainingOptions options,
            Consumer<String> printer) {
        SftTrainer t = new SftTrainer(lm.model, adapter(), trainable(), lm.codec.padId());
        return t.train(sftExamples(prompts, targets), options, new TrainingLog(printer));
    }

    /** Token accuracy of the target category (argmax over the whole vocabulary). */
    public double sftAccuracy(List<PcoPrompt> prompts, int[] targets) {
        return GradMode.off(
                () ->
                        new SftTrainer(lm.model, adapter(), trainable(), lm.codec.padId())
                                .accuracy(sftExamples(prompts, targets), BATCH));
    }

    private Map<String, NDArray> trainable() {
        Map<String, NDArray> p = new LinkedHashMap<>(lm.model.parameters());
        p.remove(Qwen2Model.SCORE);
        return p;
    }

    private List<SftExample> sftExamples(List<PcoPrompt> prompts, int[] targets) {
        if (prompts.size() != targets.length) {
            throw new IllegalArgumentException("one target per prompt");
        }
        List<SftExample> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < targets.length; i++) {
            out.add(new SftExample(promptIds(prompts.get(i)), answer(targets[i])));
        }
        return out;
    }

    int[] promptIds(PcoPrompt p) {
        return lm.codec.prompt(PromptKind.NOVELTY, lm.fields(p, null));
    }

    int[] answer(int category) {
        return lm.codec.answer(lm.name(category));
    }

    /**
     * The {@code n} most likely categories per prompt outside its excluded set, most likely first
     * (ties by category id), under the current adapter.
     */
    public synchronized List<List<Proposal>> propose(List<PcoPrompt> prompts, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive: " + n);
        }
        List<List<Proposal>> out = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += BATCH) {
            List<PcoPrompt> batch = prompts.subList(from, Math.min(prompts.size(), from + BATCH));
            float[][] logits = GradMode.off(() -> categoryLogits(batch));
            for (int i = 0; i < batch.size(); i++) {
                out.add(top(logits[i], batch.get(i).excluded(), n));
            }
        }
        return out;
    }

    /** Per prompt, the next-token logits of each category token ({@code [B][categories]}). */
    private float[][] categoryLogits(List<PcoPrompt> batch) {
        List<int[]> ids = new ArrayList<>(batch.size());
        for (PcoPrompt p : batch) {
            ids.add(promptIds(p));
        }
        try (NDManager m = lm.model.manager().newSubManager()) {
            TokenBatch b = TokenBatch.of(m, ids, lm.codec.padId(), true);
            NDArray hidden = lm.model.forward(b.ids(), b.mask(), Optional.empty(), adapter());
            long t = hidden.getShape().get(1);
            NDArray last = hidden.get(new NDIndex(":, {}:, :", t - 1));
            NDArray logits = lm.model.logits(last, adapter()).squeeze(1);
            NDArray cats = logits.get(new NDIndex(":, {}", m.create(categoryTokens)));
            float[] flat = cats.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            float[][] out = new float[batch.size()][categoryTokens.length];
            for (int i = 0; i < out.length; i++) {
                System.arraycopy(flat, i * categoryTokens.length, out[i], 0, categoryTokens.length);
            }
            return out;
        }
    }

    /** The top n allowed categories, log-probabilities renormalised over the allowed ones. */
    static List<Proposal> top(float[] logits, int[] excluded, int n) {
        boolean[] banned = new boolean[logits.length];
        for (int c : excluded) {
            if (c >= 0 && c < banned.length) {
                banned[c] = true;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < logits.length; c++) {
            if (!banned[c]) {
                max = Math.max(max, logits[c]);
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return List.of();
        }
        double sum = 0;
        for (int c = 0; c < logits.length; c++) {
            if (!banned[c]) {
                sum += Math.exp(logits[c] - max);
            }
        }
        double logZ = max + Math.log(sum);
        List<Proposal> all = new ArrayList<>();
        for (int c = 0; c < logits.length; c++) {
            if (!banned[c]) {
                all.add(new Proposal(c, logits[c] - logZ));
            }
        }
        all.sort(
                Comparator.comparingDouble((Proposal p) -> -p.logProb())
                        .thenComparingInt(Proposal::categoryId));
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /**
     * One DPO+KL update (Eq. 16-17) of the {@value #POLICY} adapter on (chosen, rejected) pairs,
     * against a frozen copy of the adapter as it was before this call (the previous cycle's model).
     * The first call adds the adapter (LoRA rank 8 on every linear layer, as the paper), which
     * starts equal to the SFT model.
     *
     * @return the figures before and after: {@code margin}, {@code kl}, {@code accuracy}, {@code
     *     loss} of the last step
     */
    public Map<String, Double> dpo(
            List<PcoPrompt> prompts,
            int[] chosen,
            int[] rejected,
            double beta,
            double lambda,
            TrainingOptions options,
            long seed,
            Consumer<String> printer) {
        if (prompts.size() != chosen.length || prompts.size() != rejected.length) {
            throw new IllegalArgumentException("one chosen and one rejected per prompt");
        }
        if (lora == null) {
            lora = LoraConfig.builder().setRank(8).optAlpha(16).optAllLinear().build();
            LoraAdapters.create(lm.model, POLICY, lora, seed);
        }
        List<PreferencePair> pairs = new ArrayList<>(prompts.size());
        for (int i = 0; i < chosen.length; i++) {
            pairs.add(
                    new PreferencePair(
                            promptIds(prompts.get(i)), answer(chosen[i]), answer(rejected[i])));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (pairs.isEmpty()) {
            return out;
        }
        LoraAdapters.copy(lm.model, POLICY, REFERENCE);
        try {
            DpoTrainer t =
                    new DpoTrainer(
                            lm.model,
                            POLICY,
                            REFERENCE,
                            LoraAdapters.parameters(lm.model, POLICY),
                            lm.codec.padId(),
                            beta,
                            lambda);
            TrainingLog log = t.train(pairs, options, new TrainingLog(printer));
            Map<String, Double> after = GradMode.off(() -> evaluate(t, pairs));
            out.put("pairs", (double) pairs.size());
            out.put("steps", (double) log.size());
            out.put("loss", log.last().map(r -> r.loss()).orElse(Double.NaN));
            out.put("margin", after.get("margin"));
            out.put("accuracy", after.get("accuracy"));
            out.put("kl", after.get("kl"));
            out.put("chosen_reward", after.get("chosen_reward"));
            out.put("rejected_reward", after.get("rejected_reward"));
            return out;
        } finally {
            LoraAdapters.remove(lm.model, REFERENCE);
        }
    }

    /**
     * The DPO figures after training, averaged over at most {@value #EVAL_PAIRS} pairs spread over
     * the list, scored in chunks (one batch of thousands of pairs is slow and memory-hungry).
     */
    private static Map<String, Double> evaluate(DpoTrainer t, List<PreferencePair> pairs) {
        int stride = Math.max(1, (pairs.size() + EVAL_PAIRS - 1) / EVAL_PAIRS);
        List<PreferencePair> picked = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += stride) {
            picked.add(pairs.get(i));
        }
        Map<String, Double> sum = new LinkedHashMap<>();
        for (int from = 0; from < picked.size(); from += EVAL_CHUNK) {
            List<PreferencePair> chunk =
                    picked.subList(from, Math.min(picked.size(), from + EVAL_CHUNK));
            double w = chunk.size() / (double) picked.size();
            t.evaluate(chunk).forEach((k, v) -> sum.merge(k, v * w, Double::sum));
        }
        return sum;
    }

    private String adapter() {
        return lora == null ? Qwen2Model.BASE : POLICY;
    }

    /** Whether the model carries a DPO adapter. */
    public boolean hasAdapter() {
        return lora != null;
    }

    @Override
    public void close() {
        lm.close();
    }

    @Override
    public String toString() {
        return "NoveltyModel[" + lm.model.config() + ", adapter=" + (lora != null) + "]";
    }
}
