package org.coea.spark.pco;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.pco.PromptSettings;
import org.coea.model.pco.TinyLmSpec;
import org.coea.model.prompt.PromptTemplates;
import org.coea.spark.CommonOptions;

/**
 * The options of the PCO stages ({@code pco-datasets}, {@code novelty-train}, {@code
 * relevance-train}, {@code generate}, {@code score}, {@code pco-cycle}); METHOD.md gives the
 * defaults where the paper does.
 */
public record PcoOptions(
        int cycles,
        double sampleRate,
        int recentWindow,
        int maxNoveltyExamples,
        int maxRelevancePairs,
        int noveltySteps,
        int relevanceSteps,
        int batchSize,
        double learningRate,
        int hidden,
        int layers,
        int candidates,
        double gamma,
        double beta,
        double lambda,
        int dpoSteps,
        int dpoBatchSize,
        double dpoLearningRate,
        int relevanceCycleSteps,
        double guardDrop,
        Ablation ablation,
        Optional<Integer> rollbackTo,
        Optional<String> baseModel,
        Optional<String> promptTemplates,
        DeviceSetting device,
        long seed) {

    public static final ConfigOption<Integer> CYCLES =
            ConfigOptions.key("pco.cycles")
                    .intType()
                    .defaultValue(30)
                    .withDescription(
                            "PCO cycles T (METHOD.md: 30 on ML-1M); pco-datasets cuts the held-out (validation) period into T + 1 time slices, cycle t learns from slice t and is validated on slice t + 1.");
    public static final ConfigOption<Double> SAMPLE_RATE =
            ConfigOptions.key("pco.sample-rate")
                    .doubleType()
                    .defaultValue(0.01)
                    .withDescription(
                            "rho: the share of stored behaviour each cycle samples (Eq. 15).");
    public static final ConfigOption<Integer> RECENT_WINDOW =
            ConfigOptions.key("pco.recent-window")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Recent categories a prompt keeps (Appendix A.2: the last two), the same in SFT, DPO and inference.");
    public static final ConfigOption<Integer> MAX_NOVELTY_EXAMPLES =
            ConfigOptions.key("pco.max-novelty-examples")
                    .intType()
                    .defaultValue(50_000)
                    .withDescription("Most Eq. 8 examples novelty-train uses (a seeded sample).");
    public static final ConfigOption<Integer> MAX_RELEVANCE_PAIRS =
            ConfigOptions.key("pco.max-relevance-pairs")
                    .intType()
                    .defaultValue(50_000)
                    .withDescription("Most Eq. 11 pairs relevance-train uses (a seeded sample).");
    public static final ConfigOption<Integer> NOVELTY_STEPS =
            ConfigOptions.key("pco.novelty-steps")
                    .intType()
                    .defaultValue(400)
                    .withDescription("SFT optimizer steps of novelty-train.");
    public static final ConfigOption<Integer> RELEVANCE_STEPS =
            ConfigOptions.key("pco.relevance-steps")
                    .intType()
                    .defaultValue(400)
                    .withDescription("Pairwise optimizer steps of relevance-train.");
    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("pco.batch-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Examples per step of novelty-train and relevance-train.");
    public static final ConfigOption<Double> LEARNING_RATE =
            ConfigOptions.key("pco.learning-rate")
                    .doubleType()
                    .defaultValue(3e-3)
                    .withDescription(
                            "Peak learning rate of novelty-train and relevance-train (the embedded model trains from scratch; for LoRA on a pco.base-model checkpoint the paper uses 1e-4).");
    public static final ConfigOption<Integer> HIDDEN =
            ConfigOptions.key("pco.model.hidden")
                    .intType()
                    .defaultValue(TinyLmSpec.DEFAULT.hidden())
                    .withDescription("Hidden size of the embedded Novelty and Relevance models.");
    public static final ConfigOption<Integer> LAYERS =
            ConfigOptions.key("pco.model.layers")
                    .intType()
                    .defaultValue(TinyLmSpec.DEFAULT.layers())
                    .withDescription(
                            "Decoder layers of the embedded Novelty and Relevance models.");
    public static final ConfigOption<Integer> CANDIDATES =
            ConfigOptions.key("pco.candidates")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "N: candidate categories the Novelty model proposes per key (Eq. 10).");
    public static final ConfigOption<Double> GAMMA =
            ConfigOptions.key("pco.gamma")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription(
                            "gamma: the relevance score a candidate needs to be kept (Eq. 14).");
    public static final ConfigOption<Double> BETA =
            ConfigOptions.key("pco.beta")
                    .doubleType()
                    .defaultValue(0.1)
                    .withDescription("beta: the DPO temperature (Eq. 16).");
    public static final ConfigOption<Double> LAMBDA =
            ConfigOptions.key("pco.lambda")
                    .doubleType()
                    .defaultValue(0.1)
                    .withDescription(
                            "lambda: the KL coefficient (Eq. 17); the no-kl ablation sets 0.");
    public static final ConfigOption<Integer> DPO_STEPS =
            ConfigOptions.key("pco.dpo-steps")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "DPO optimizer steps per cycle (METHOD.md: 5 batches per round), over the cycle's pairs in a seeded order.");
    public static final ConfigOption<Integer> DPO_BATCH_SIZE =
            ConfigOptions.key("pco.dpo-batch-size")
                    .intType()
                    .defaultValue(128)
                    .withDescription("Pairs per DPO step (METHOD.md: 1024 in the paper's rounds).");
    public static final ConfigOption<Double> DPO_LEARNING_RATE =
            ConfigOptions.key("pco.dpo-learning-rate")
                    .doubleType()
                    .defaultValue(1e-3)
                    .withDescription(
                            "DPO learning rate of the LoRA adapter (the paper: 5e-6 on Qwen2.5-7B; the tiny model needs more).");
    public static final ConfigOption<Integer> RELEVANCE_CYCLE_STEPS =
            ConfigOptions.key("pco.relevance-cycle-steps")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Pairwise steps per cycle that update the Relevance model on the cycle's new positives.");
    public static final ConfigOption<Double> GUARD_DROP =
            ConfigOptions.key("pco.guard-drop")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription(
                            "The guard: a cycle whose validation novelty falls by more than this share below the previous version's is not published, and the cycles stop (1 disables it).");
    public static final ConfigOption<Ablation> ABLATION =
            ConfigOptions.key("pco.ablation")
                    .enumType(Ablation.class)
                    .defaultValue(Ablation.NONE)
                    .withDescription(
                            "none, no-kl (lambda = 0), no-relevance (proposals unfiltered), no-long (no CSID or profile in prompts), no-short (no recent categories in prompts).");
    public static final ConfigOption<String> BASE_MODEL =
            ConfigOptions.key("pco.base-model")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A local HuggingFace Qwen2/Qwen2.5 checkpoint directory (config.json, model.safetensors or shards, tokenizer.json) that novelty-train and relevance-train fine-tune with LoRA adapters (rank 8, every linear layer; the base stays frozen) instead of training the embedded tiny model; it must be at the same path on every executor. Unset: the embedded model.");
    public static final ConfigOption<String> PROMPT_TEMPLATES =
            ConfigOptions.key("pco.prompt-templates")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With pco.base-model: a local directory of prompt templates (system.txt, novelty.txt, relevance.txt, profile.txt; placeholders {{profile}}, {{recent_categories}}, {{candidate}}, ...) instead of the built-in ones; saved with the models. Unset: the built-in templates.");
    public static final ConfigOption<Integer> ROLLBACK_TO =
            ConfigOptions.key("pco.rollback-to")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "pco-cycle: restore registry version N (models and store) instead of running cycles; newer versions move to registry/rolled-back/.");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    CYCLES,
                    SAMPLE_RATE,
                    RECENT_WINDOW,
                    MAX_NOVELTY_EXAMPLES,
                    MAX_RELEVANCE_PAIRS,
                    NOVELTY_STEPS,
                    RELEVANCE_STEPS,
                    BATCH_SIZE,
                    LEARNING_RATE,
                    HIDDEN,
                    LAYERS,
                    CANDIDATES,
                    GAMMA,
                    BETA,
                    LAMBDA,
                    DPO_STEPS,
                    DPO_BATCH_SIZE,
                    DPO_LEARNING_RATE,
                    RELEVANCE_CYCLE_STEPS,
                    GUARD_DROP,
                    ABLATION,
                    ROLLBACK_TO,
                    BASE_MODEL,
                    PROMPT_TEMPLATES,
                    DeviceSelection.DEVICE);

    /** Validates the fields. */
    public PcoOptions {
        positive(cycles, CYCLES);
        positive(recentWindow, RECENT_WINDOW);
        positive(maxNoveltyExamples, MAX_NOVELTY_EXAMPLES);
        positive(maxRelevancePairs, MAX_RELEVANCE_PAIRS);
        positive(batchSize, BATCH_SIZE);
        positive(hidden, HIDDEN);
        positive(layers, LAYERS);
        positive(candidates, CANDIDATES);
        positive(dpoBatchSize, DPO_BATCH_SIZE);
        if (noveltySteps < 0 || relevanceSteps < 0 || dpoSteps < 0 || relevanceCycleSteps < 0) {
            throw new IllegalArgumentException("pco step counts must be >= 0");
        }
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException(
                    SAMPLE_RATE.key() + " must be in (0, 1]: " + sampleRate);
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException(GAMMA.key() + " must be in [0, 1]: " + gamma);
        }
        if (!(guardDrop > 0 && guardDrop <= 1)) {
            throw new IllegalArgumentException(
                    GUARD_DROP.key() + " must be in (0, 1]: " + guardDrop);
        }
        if (beta <= 0 || lambda < 0 || learningRate <= 0 || dpoLearningRate <= 0) {
            throw new IllegalArgumentException(
                    "pco.beta and the learning rates must be > 0 and pco.lambda >= 0");
        }
        if (hidden % 4 != 0) {
            throw new IllegalArgumentException(HIDDEN.key() + " must divide by 4 heads: " + hidden);
        }
        rollbackTo.ifPresent(
                v -> {
                    if (v < 0) {
                        throw new IllegalArgumentException(ROLLBACK_TO.key() + " must be >= 0");
                    }
                });
    }

    private static void positive(int v, ConfigOption<Integer> o) {
        if (v <= 0) {
            throw new IllegalArgumentException(o.key() + " must be positive, got " + v);
        }
    }

    /** Resolves the options. */
    public static PcoOptions from(Configuration conf) {
        return new PcoOptions(
                conf.get(CYCLES),
                conf.get(SAMPLE_RATE),
                conf.get(RECENT_WINDOW),
                conf.get(MAX_NOVELTY_EXAMPLES),
                conf.get(MAX_RELEVANCE_PAIRS),
                conf.get(NOVELTY_STEPS),
                conf.get(RELEVANCE_STEPS),
                conf.get(BATCH_SIZE),
                conf.get(LEARNING_RATE),
                conf.get(HIDDEN),
                conf.get(LAYERS),
                conf.get(CANDIDATES),
                conf.get(GAMMA),
                conf.get(BETA),
                conf.get(LAMBDA),
                conf.get(DPO_STEPS),
                conf.get(DPO_BATCH_SIZE),
                conf.get(DPO_LEARNING_RATE),
                conf.get(RELEVANCE_CYCLE_STEPS),
                conf.get(GUARD_DROP),
                conf.get(ABLATION),
                conf.optional(ROLLBACK_TO),
                conf.optional(BASE_MODEL).filter(s -> !s.isBlank()),
                conf.optional(PROMPT_TEMPLATES).filter(s -> !s.isBlank()),
                conf.get(DeviceSelection.DEVICE),
                conf.get(CommonOptions.SEED));
    }

    /** The defaults with a seed (tests override fields with the withers). */
    public static PcoOptions defaults(long seed) {
        return new PcoOptions(
                30,
                0.01,
                2,
                50_000,
                50_000,
                400,
                400,
                64,
                3e-3,
                64,
                2,
                5,
                0.5,
                0.1,
                0.1,
                5,
                128,
                1e-3,
                5,
                0.5,
                Ablation.NONE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                DeviceSetting.AUTO,
                seed);
    }

    /** The KL coefficient in force: 0 under the no-kl ablation. */
    public double effectiveLambda() {
        return ablation == Ablation.NO_KL ? 0 : lambda;
    }

    /** The embedded model's shape. */
    public TinyLmSpec spec() {
        return new TinyLmSpec(hidden, layers, 4, 2, 2 * hidden);
    }

    /** The text prompt templates of a checkpoint-backed model. */
    public PromptTemplates templates() {
        return promptTemplates
                .map(t -> PromptTemplates.load(Path.of(t)))
                .orElseGet(PromptTemplates::defaults);
    }

    /** The prompt settings the models are trained with. */
    public PromptSettings promptSettings() {
        return new PromptSettings(recentWindow, ablation != Ablation.NO_SHORT);
    }

    /** These options with other cycle settings (for tests and small runs). */
    public PcoOptions withCycles(int cycles, double sampleRate) {
        return new PcoOptions(
                cycles,
                sampleRate,
                recentWindow,
                maxNoveltyExamples,
                maxRelevancePairs,
                noveltySteps,
                relevanceSteps,
                batchSize,
                learningRate,
                hidden,
                layers,
                candidates,
                gamma,
                beta,
                lambda,
                dpoSteps,
                dpoBatchSize,
                dpoLearningRate,
                relevanceCycleSteps,
                guardDrop,
                ablation,
                rollbackTo,
                baseModel,
                promptTemplates,
                device,
                seed);
    }

    /** These options with other training steps (for tests and small runs). */
    public PcoOptions withSteps(
            int noveltySteps, int relevanceSteps, int dpoSteps, int relevanceCycleSteps) {
        return new PcoOptions(
                cycles,
                sampleRate,
                recentWindow,
                maxNoveltyExamples,
                maxRelevancePairs,
                noveltySteps,
                relevanceSteps,
                batchSize,
                learningRate,
                hidden,
                layers,
                candidates,
                gamma,
                beta,
                lambda,
                dpoSteps,
                dpoBatchSize,
                dpoLearningRate,
                relevanceCycleSteps,
                guardDrop,
                ablation,
                rollbackTo,
                baseModel,
                promptTemplates,
                device,
                seed);
    }

    /**
     * These options with a HuggingFace base checkpoint for the models (see {@link #BASE_MODEL}) and
     * optionally a template directory (see {@link #PROMPT_TEMPLATES}).
     */
    public PcoOptions withBaseModel(String path, Optional<String> templates) {
        return new PcoOptions(
                cycles,
                sampleRate,
                recentWindow,
                maxNoveltyExamples,
                maxRelevancePairs,
                noveltySteps,
                relevanceSteps,
                batchSize,
                learningRate,
                hidden,
                layers,
                candidates,
                gamma,
                beta,
                lambda,
                dpoSteps,
                dpoBatchSize,
                dpoLearningRate,
                relevanceCycleSteps,
                guardDrop,
                ablation,
                rollbackTo,
                Optional.of(path),
                templates,
                device,
                seed);
    }

    /** These options with another seed (the compare command's repeated runs). */
    public PcoOptions withSeed(long newSeed) {
        return new PcoOptions(
                cycles,
                sampleRate,
                recentWindow,
                maxNoveltyExamples,
                maxRelevancePairs,
                noveltySteps,
                relevanceSteps,
                batchSize,
                learningRate,
                hidden,
                layers,
                candidates,
                gamma,
                beta,
                lambda,
                dpoSteps,
                dpoBatchSize,
                dpoLearningRate,
                relevanceCycleSteps,
                guardDrop,
                ablation,
                rollbackTo,
                baseModel,
                promptTemplates,
                device,
                newSeed);
    }

    /** These options with an ablation and a rollback target. */
    public PcoOptions with(Ablation ablation, Optional<Integer> rollbackTo, double guardDrop) {
        return new PcoOptions(
                cycles,
                sampleRate,
                recentWindow,
                maxNoveltyExamples,
                maxRelevancePairs,
                noveltySteps,
                relevanceSteps,
                batchSize,
                learningRate,
                hidden,
                layers,
                candidates,
                gamma,
                beta,
                lambda,
                dpoSteps,
                dpoBatchSize,
                dpoLearningRate,
                relevanceCycleSteps,
                guardDrop,
                ablation,
                rollbackTo,
                baseModel,
                promptTemplates,
                device,
                seed);
    }
}
