package org.coea.model.pco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.lora.LoraAdapters;
import org.coea.model.lora.LoraConfig;
import org.coea.model.lora.PeftAdapters;
import org.coea.model.nd.GradMode;
import org.coea.model.prompt.PromptKind;
import org.coea.model.prompt.PromptTemplates;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.train.PreferencePair;
import org.coea.model.train.RewardTrainer;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;

/**
 * The Relevance model: a reward head on the last hidden state (Eq. 12), trained pairwise on Eq. 11
 * pairs; {@link #score} gives s(c), the sigmoid of the calibrated reward (Eq. 13, {@link
 * Calibration}), which the threshold gamma filters (Eq. 14).
 *
 * <p>The embedded tiny model trains all its weights; a HuggingFace checkpoint ({@link
 * #fromCheckpoint}) stays frozen and training updates the {@value #REWARD} LoRA adapter (rank 8,
 * every linear layer) and the head, saved together in PEFT format ({@code modules_to_save:
 * ["score"]}).
 */
public final class RelevanceModel implements AutoCloseable {
    /** The adapter a checkpoint-backed model trains. */
    public static final String REWARD = "reward";

    static final String ADAPTER_DIR = "adapter";
    private static final int BATCH = 512;

    private final PcoLm lm;
    private final LoraConfig lora;
    private Calibration calibration = Calibration.IDENTITY;

    private RelevanceModel(PcoLm lm, LoraConfig lora) {
        if (lm.model.rewardHead().isEmpty()) {
            lm.close();
            throw new IllegalArgumentException("a Relevance model needs a reward head");
        }
        this.lm = lm;
        this.lora = lora;
    }

    /** A new embedded model with random weights and a new reward head. */
    public static RelevanceModel create(
            DomainTokenizer vocabulary, TinyLmSpec spec, PromptSettings settings, long seed) {
        PcoLm lm = PcoLm.create(vocabulary, spec, settings, seed);
        lm.model.newRewardHead(seed + 1);
        return new RelevanceModel(lm, null);
    }

    /**
     * A model on a HuggingFace Qwen2 checkpoint (frozen) with a new reward head and a fresh {@value
     * #REWARD} adapter, which {@link #train} updates together with the head.
     */
    public static RelevanceModel fromCheckpoint(
            Path base,
            List<String> categories,
            PromptSettings settings,
            DeviceSelection device,
            PromptTemplates templates,
            long seed) {
        PcoLm lm = PcoLm.fromCheckpoint(base, categories, settings, device, templates);
        try {
            lm.model.newRewardHead(seed + 1);
            LoraConfig config = lm.lora(true);
            LoraAdapters.create(lm.model, REWARD, config, seed);
            return new RelevanceModel(lm, config);
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
    }

    /** Loads a saved model; a checkpoint backbone goes where {@code model.device=auto} puts it. */
    public static RelevanceModel load(Path dir) {
        return load(dir, DeviceSelection.select(DeviceSetting.AUTO));
    }

    /** Loads a saved model; a checkpoint backbone goes on the selected device. */
    public static RelevanceModel load(Path dir, DeviceSelection device) {
        PcoLm lm = PcoLm.load(dir, device);
        LoraConfig config = null;
        if (lm.adaptersOnly()) {
            if (!Files.isDirectory(dir.resolve(ADAPTER_DIR))) {
                lm.close();
                throw new IllegalArgumentException(
                        dir + " holds a checkpoint-backed Relevance model without its adapter/");
            }
            try {
                config = PeftAdapters.load(lm.model, REWARD, dir.resolve(ADAPTER_DIR));
            } catch (RuntimeException e) {
                lm.close();
                throw e;
            }
        }
        RelevanceModel m = new RelevanceModel(lm, config);
        m.calibration = Calibration.read(dir.resolve(Calibration.FILE));
        return m;
    }

    /**
     * Saves the model: the weights with the reward head (embedded), or the adapter with the head
     * under {@code adapter/} (checkpoint-backed); and the calibration.
     */
    public void save(Path dir) {
        lm.save(dir);
        if (lora != null) {
            PeftAdapters.save(lm.model, REWARD, lora, dir.resolve(ADAPTER_DIR));
        }
        calibration.write(dir.resolve(Calibration.FILE));
    }

    /** Whether the backbone is a frozen HuggingFace checkpoint trained through the adapter. */
    public boolean checkpointBacked() {
        return lm.adaptersOnly();
    }

    /** The calibration {@link #score} applies. */
    public Calibration calibration() {
        return calibration;
    }

    /**
     * Fits the calibration on labelled pairs (positives 1, negatives 0) and returns it; {@link
     * #score} uses it from now on.
     */
    public Calibration calibrate(List<PcoPrompt> prompts, int[] positives, int[] negatives) {
        double[] pos = rewards(prompts, positives);
        double[] neg = rewards(prompts, negatives);
        calibration = Calibration.fit(pos, neg);
        return calibration;
    }

    /** The prompt settings. */
    public PromptSettings settings() {
        return lm.settings;
    }

    /**
     * Pairwise training (Eq. 12): all weights of the embedded model; the adapter and the head of a
     * checkpoint-backed one.
     */
    public TrainingLog train(
            List<PcoPrompt> prompts,
            int[] positives,
            int[] negatives,
            TrainingOptions options,
            Consumer<String> printer) {
        return trainer()
                .train(pairs(prompts, positives, negatives), options, new TrainingLog(printer));
    }

    /** Share of pairs whose positive gets the higher reward. */
    public double accuracy(List<PcoPrompt> prompts, int[] positives, int[] negatives) {
        return GradMode.off(() -> trainer().accuracy(pairs(prompts, positives, negatives), BATCH));
    }

    private RewardTrainer trainer() {
        if (lora == null) {
            return new RewardTrainer(
                    lm.model, Qwen2Model.BASE, lm.model.parameters(), lm.codec.padId());
        }
        Map<String, NDArray> trainable =
                new LinkedHashMap<>(LoraAdapters.parameters(lm.model, REWARD));
        trainable.put(Qwen2Model.SCORE, lm.model.rewardHead().orElseThrow());
        return new RewardTrainer(lm.model, REWARD, trainable, lm.codec.padId());
    }

    private List<PreferencePair> pairs(List<PcoPrompt> prompts, int[] pos, int[] neg) {
        if (prompts.size() != pos.length || prompts.size() != neg.length) {
            throw new IllegalArgumentException("one positive and one negative per prompt");
        }
        List<PreferencePair> out = new ArrayList<>(pos.length);
        for (int i = 0; i < pos.length; i++) {
            int[] withPos = sequence(prompts.get(i), pos[i]);
            int[] withNeg = sequence(prompts.get(i), neg[i]);
            // The sequences share a prefix up to the candidate (the last token of an embedded
            // prompt, inside the text of a ChatML one); the pair is that prefix and both rests.
            int shared = 0;
            int limit = Math.min(withPos.length, withNeg.length) - 1;
            while (shared < limit && withPos[shared] == withNeg[shared]) {
                shared++;
            }
            out.add(
                    new PreferencePair(
                            Arrays.copyOf(withPos, shared),
                            Arrays.copyOfRange(withPos, shared, withPos.length),
                            Arrays.copyOfRange(withNeg, shared, withNeg.length)));
        }
        return out;
    }

    int[] sequence(PcoPrompt p, int candidate) {
        return lm.codec.prompt(PromptKind.RELEVANCE, lm.fields(p, candidate));
    }

    /**
     * s(c) (Eq. 13) of each prompt's candidate: sigmoid of the calibrated reward ({@link
     * Calibration}), batched.
     */
    public synchronized double[] score(List<PcoPrompt> prompts, int[] candidates) {
        double[] r = rewards(prompts, candidates);
        for (int i = 0; i < r.length; i++) {
            r[i] = calibration.apply(r[i]);
        }
        return r;
    }

    /** The raw rewards r(x, c) (Eq. 12) of each prompt's candidate, batched. */
    public synchronized double[] rewards(List<PcoPrompt> prompts, int[] candidates) {
        if (prompts.size() != candidates.length) {
            throw new IllegalArgumentException("one candidate per prompt");
        }
        double[] out = new double[candidates.length];
        RewardTrainer t = trainer();
        for (int from = 0; from < candidates.length; from += BATCH) {
            int to = Math.min(candidates.length, from + BATCH);
            List<int[]> rows = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                rows.add(sequence(prompts.get(i), candidates[i]));
            }
            int offset = from;
            GradMode.off(
                    () -> {
                        try (NDManager m = lm.model.manager().newSubManager()) {
                            float[] v = t.rewards(m, rows).toFloatArray();
                            for (int i = 0; i < v.length; i++) {
                                out[offset + i] = v[i];
                            }
                        }
                        return null;
                    });
        }
        return out;
    }

    /** The language model (for tests). */
    Qwen2Model model() {
        return lm.model;
    }

    @Override
    public void close() {
        lm.close();
    }

    @Override
    public String toString() {
        return "RelevanceModel[" + lm.model.config() + "]";
    }
}
