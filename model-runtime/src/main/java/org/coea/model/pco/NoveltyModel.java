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
import java.util.Set;
import java.util.function.Consumer;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.generate.Candidate;
import org.coea.model.generate.Generator;
import org.coea.model.generate.TokenBatch;
import org.coea.model.lora.LoraAdapters;
import org.coea.model.lora.LoraConfig;
import org.coea.model.lora.PeftAdapters;
import org.coea.model.nd.GradMode;
import org.coea.model.prompt.PromptKind;
import org.coea.model.prompt.PromptTemplates;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.train.DpoTrainer;
import org.coea.model.train.PreferencePair;
import org.coea.model.train.SftExample;
import org.coea.model.train.SftTrainer;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;

/**
 * The Novelty model: trained by SFT on Eq. 8 examples, it proposes categories outside the
 * short-term set (Eq. 10); each PCO cycle aligns its LoRA adapter {@value #POLICY} by DPO with KL
 * against a frozen copy of the previous cycle's adapter (Eq. 16-17).
 *
 * <p>Two backbones ({@link PcoLm}), one code path: the embedded tiny model trains all its weights
 * by SFT and gets the adapter at the first DPO cycle; a HuggingFace checkpoint ({@link
 * #fromCheckpoint}, Qwen2.5 in production) stays frozen, SFT trains the {@value #POLICY} adapter
 * (rank 8, every linear layer) and the cycles go on training it.
 *
 * <p>Proposals are exact under decoding constrained to valid categories, renormalised over the
 * allowed ones. On the embedded vocabulary every answer is one category token then {@code <eos>},
 * so one batched forward pass scores every category for a batch of prompts; multi-token category
 * names (text tokenizers) are scored by teacher forcing every allowed answer on the prompt's KV
 * cache ({@link Generator#topCandidates}).
 */
public final class NoveltyModel implements AutoCloseable {
    /** The adapter that DPO trains and the registry versions. */
    public static final String POLICY = "policy";

    static final String REFERENCE = "reference";
    static final String ADAPTER_DIR = "adapter";
    private static final int BATCH = 256;
    private static final int EVAL_PAIRS = 1024;
    private static final int EVAL_CHUNK = 256;

    private final PcoLm lm;
    private final int[] categoryTokens;
    private LoraConfig lora;

    private NoveltyModel(PcoLm lm) {
        this.lm = lm;
        this.categoryTokens = new int[lm.singleTokenAnswers() ? lm.categories() : 0];
        for (int c = 0; c < categoryTokens.length; c++) {
            categoryTokens[c] = lm.answer(c)[0];
        }
    }

    /** A new embedded model with random weights (train it with {@link #sft}). */
    public static NoveltyModel create(
            DomainTokenizer vocabulary, TinyLmSpec spec, PromptSettings settings, long seed) {
        return new NoveltyModel(PcoLm.create(vocabulary, spec, settings, seed));
    }

    /**
     * A model on a HuggingFace Qwen2 checkpoint (frozen) with a fresh {@value #POLICY} adapter that
     * {@link #sft} and {@link #dpo} train; it answers with the given category names.
     */
    public static NoveltyModel fromCheckpoint(
            Path base,
            List<String> categories,
            PromptSettings settings,
            DeviceSelection device,
            PromptTemplates templates,
            long seed) {
        NoveltyModel m =
                new NoveltyModel(
                        PcoLm.fromCheckpoint(base, categories, settings, device, templates));
        m.lora = m.lm.lora(false);
        LoraAdapters.create(m.lm.model, POLICY, m.lora, seed);
        return m;
    }

    /**
     * Loads a saved model, with its {@value #POLICY} adapter when the directory has one; a
     * checkpoint backbone goes where {@code model.device=auto} puts it.
     */
    public static NoveltyModel load(Path dir) {
        return load(dir, DeviceSelection.select(DeviceSetting.AUTO));
    }

    /** Loads a saved model; a checkpoint backbone goes on the selected device. */
    public static NoveltyModel load(Path dir, DeviceSelection device) {
        NoveltyModel m = new NoveltyModel(PcoLm.load(dir, device));
        if (Files.isDirectory(dir.resolve(ADAPTER_DIR))) {
            m.loadAdapter(dir.resolve(ADAPTER_DIR));
        } else if (m.lm.adaptersOnly()) {
            m.close();
            throw new IllegalArgumentException(
                    dir + " holds a checkpoint-backed Novelty model without its adapter/");
        }
        return m;
    }

    /**
     * Whether the backbone is a frozen HuggingFace checkpoint trained through the adapter only
     * (saved directories then hold no base weights).
     */
    public boolean checkpointBacked() {
        return lm.adaptersOnly();
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

    /**
     * SFT (Eq. 9) on (prompt, target category) examples: all weights of the embedded model, the
     * {@value #POLICY} adapter of a checkpoint-backed one.
     */
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
        if (lm.adaptersOnly()) {
            return LoraAdapters.parameters(lm.model, POLICY);
        }
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
        return lm.answer(category);
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
        if (!lm.singleTokenAnswers()) {
            Generator g = new Generator(lm.model, lm.codec.eosId(), lm.codec.padId());
            for (PcoPrompt p : prompts) {
                out.add(GradMode.off(() -> proposeByAnswers(g, p, n)));
            }
            return out;
        }
        for (int from = 0; from < prompts.size(); from += BATCH) {
            List<PcoPrompt> batch = prompts.subList(from, Math.min(prompts.size(), from + BATCH));
            float[][] logits = GradMode.off(() -> categoryLogits(batch));
            for (int i = 0; i < batch.size(); i++) {
                out.add(top(logits[i], batch.get(i).excluded(), n));
            }
        }
        return out;
    }

    /**
     * The top n allowed categories of one prompt with multi-token answers: every allowed answer's
     * exact log-probability, renormalised over the allowed answers (as {@link #top} does).
     */
    private List<Proposal> proposeByAnswers(Generator g, PcoPrompt p, int n) {
        Set<Integer> excluded = new java.util.HashSet<>();
        for (int c : p.excluded()) {
            excluded.add(c);
        }
        List<Candidate> all =
                g.topCandidates(
                                List.of(promptIds(p)),
                                lm.trie(),
                                List.of(excluded),
                                lm.categories(),
                                adapter())
                        .get(0);
        if (all.isEmpty()) {
            return List.of();
        }
        double max = all.get(0).logProb();
        double sum = 0;
        for (Candidate c : all) {
            sum += Math.exp(c.logProb() - max);
        }
        double logZ = max + Math.log(sum);
        List<Proposal> out = new ArrayList<>(Math.min(n, all.size()));
        for (Candidate c : all.subList(0, Math.min(n, all.size()))) {
            out.add(new Proposal(c.answer(), c.logProb() - logZ));
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

    /** The language model (for tests). */
    Qwen2Model model() {
        return lm.model;
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
