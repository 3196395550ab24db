package org.coea.model.pco;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.coea.model.nd.GradMode;
import org.coea.model.prompt.PromptKind;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.train.PreferencePair;
import org.coea.model.train.RewardTrainer;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;

/**
 * The Relevance model: a reward head on the last hidden state (Eq. 12), trained pairwise on Eq. 11
 * pairs (all weights, for the embedded model); {@link #score} gives s(c), the sigmoid of the
 * calibrated reward (Eq. 13, {@link Calibration}), which the threshold gamma filters (Eq. 14).
 */
public final class RelevanceModel implements AutoCloseable {
    private static final int BATCH = 512;

    private final DomainLm lm;
    private Calibration calibration = Calibration.IDENTITY;

    private RelevanceModel(DomainLm lm) {
        if (lm.model.rewardHead().isEmpty()) {
            lm.close();
            throw new IllegalArgumentException("a Relevance model needs a reward head");
        }
        this.lm = lm;
    }

    /** A new model with random weights and a new reward head. */
    public static RelevanceModel create(
            DomainTokenizer vocabulary, TinyLmSpec spec, PromptSettings settings, long seed) {
        DomainLm lm = DomainLm.create(vocabulary, spec, settings, seed);
        lm.model.newRewardHead(seed + 1);
        return new RelevanceModel(lm);
    }

    /** Loads a saved model. */
    public static RelevanceModel load(Path dir) {
        RelevanceModel m = new RelevanceModel(DomainLm.load(dir));
        m.calibration = Calibration.read(dir.resolve(Calibration.FILE));
        return m;
    }

    /** Saves the model (weights with the reward head, and the calibration). */
    public void save(Path dir) {
        lm.save(dir);
        calibration.write(dir.resolve(Calibration.FILE));
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

    /** Pairwise training (Eq. 12) of all weights. */
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
        return new RewardTrainer(
                lm.model, Qwen2Model.BASE, lm.model.parameters(), lm.codec.padId());
    }

    private List<PreferencePair> pairs(List<PcoPrompt> prompts, int[] pos, int[] neg) {
        if (prompts.size() != pos.length || prompts.size() != neg.length) {
            throw new IllegalArgumentException("one positive and one negative per prompt");
        }
        List<PreferencePair> out = new ArrayList<>(pos.length);
        for (int i = 0; i < pos.length; i++) {
            int[] withPos = sequence(prompts.get(i), pos[i]);
            int[] withNeg = sequence(prompts.get(i), neg[i]);
            // The prompt ends with <candidate> c: the shared prefix, then each candidate's token.
            int[] prefix = Arrays.copyOf(withPos, withPos.length - 1);
            out.add(
                    new PreferencePair(
                            prefix,
                            new int[] {withPos[withPos.length - 1]},
                            new int[] {withNeg[withNeg.length - 1]}));
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

    @Override
    public void close() {
        lm.close();
    }

    @Override
    public String toString() {
        return "RelevanceModel[" + lm.model.config() + "]";
    }
}
