package org.coea.model.pco;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.coea.model.device.DeviceSelection;
import org.coea.model.generate.TokenTrie;
import org.coea.model.lora.LoraConfig;
import org.coea.model.prompt.DomainPromptCodec;
import org.coea.model.prompt.PromptCodec;
import org.coea.model.prompt.PromptFields;
import org.coea.model.prompt.PromptTemplates;
import org.coea.model.prompt.RecentCategories;
import org.coea.model.prompt.TextPromptCodec;
import org.coea.model.qwen2.Qwen2Checkpoints;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.tokens.HfTextTokenizer;

/**
 * The language model under a Novelty or Relevance model, with its prompt codec, its category
 * answers and its prompt settings. Two backbones, one code path above them:
 *
 * <ul>
 *   <li><b>embedded</b>: a tiny Qwen2 on the domain vocabulary ({@link DomainPromptCodec}), trained
 *       from scratch, all weights. Saved as {@code config.json}, {@code model.safetensors} (fp32),
 *       {@code vocabulary.json} and {@code pco.json} (the prompt settings).
 *   <li><b>checkpoint</b>: a HuggingFace Qwen2/Qwen2.5 checkpoint ({@code config.json}, {@code
 *       model.safetensors} or shards, {@code tokenizer.json}) read through ChatML text prompts
 *       ({@link TextPromptCodec}); its weights stay frozen and every training step updates LoRA
 *       adapters only (rank {@value #LORA_RANK} on every linear layer, as the paper). Saved without
 *       the base weights: {@code backbone.json} (the base's path and the SHA-256 of its {@code
 *       config.json}, checked on load), {@code categories.json}, {@code pco.json} and the prompt
 *       templates it was trained with under {@code prompts/}; the owning model saves its adapter in
 *       PEFT format.
 * </ul>
 */
final class PcoLm implements AutoCloseable {
    static final String VOCABULARY = "vocabulary.json";
    static final String SETTINGS = "pco.json";
    static final String BACKBONE = "backbone.json";
    static final String CATEGORIES = "categories.json";
    static final String PROMPTS = "prompts";

    /** The paper's LoRA rank (all linear layers). */
    static final int LORA_RANK = 8;

    private static final ObjectMapper JSON = new ObjectMapper();

    final Qwen2Model model;
    final PromptCodec codec;
    final PromptSettings settings;
    private final Optional<DomainTokenizer> vocabulary;
    private final Optional<Path> base;
    private final List<String> names;
    private final List<int[]> answers;
    private final Optional<PromptTemplates> templates;
    private TokenTrie trie;

    private PcoLm(
            Qwen2Model model,
            PromptCodec codec,
            List<String> names,
            PromptSettings settings,
            Optional<DomainTokenizer> vocabulary,
            Optional<Path> base,
            Optional<PromptTemplates> templates) {
        this.model = Objects.requireNonNull(model, "model");
        this.codec = codec;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.vocabulary = vocabulary;
        this.base = base;
        this.templates = templates;
        this.names = List.copyOf(names);
        this.answers = codec.categorySequences(this.names);
    }

    private static PcoLm embedded(
            Qwen2Model model, DomainTokenizer vocabulary, PromptSettings settings) {
        DomainPromptCodec codec =
                settings.shortTerm()
                        ? new DomainPromptCodec(vocabulary)
                        : DomainPromptCodec.withoutShortTerm(vocabulary);
        return new PcoLm(
                model,
                codec,
                vocabulary.categories(),
                settings,
                Optional.of(vocabulary),
                Optional.empty(),
                Optional.empty());
    }

    /** A new embedded model with random weights. */
    static PcoLm create(
            DomainTokenizer vocabulary, TinyLmSpec spec, PromptSettings settings, long seed) {
        NDManager manager = NDManager.newBaseManager();
        try {
            var config = spec.config(vocabulary.vocabSize());
            return embedded(
                    Qwen2Model.of(
                            config,
                            manager,
                            Qwen2Model.randomWeights(config, manager, seed, DataType.FLOAT32)),
                    vocabulary,
                    settings);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A HuggingFace checkpoint as the backbone, on the selected device, answering with the given
     * category names (ids are positions), prompting with the given templates.
     *
     * @throws IllegalArgumentException when the directory lacks {@code config.json} or {@code
     *     tokenizer.json}, the tokenizer has no ChatML tokens, or the category names are empty,
     *     repeated or prefixes of one another once tokenized
     */
    static PcoLm fromCheckpoint(
            Path base,
            List<String> categories,
            PromptSettings settings,
            DeviceSelection device,
            PromptTemplates templates) {
        // Recorded as given: a relative path (YARN's ./base-model archive) resolves in each
        // container's own working directory when executors load the saved model.
        Path recorded = base.normalize();
        Path dir = base.toAbsolutePath().normalize();
        for (String f : List.of(Qwen2Checkpoints.CONFIG, "tokenizer.json")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException(
                        dir + " is not a HuggingFace Qwen2 checkpoint: " + f + " is missing");
            }
        }
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("a PCO model needs at least one category");
        }
        HfTextTokenizer tokenizer = HfTextTokenizer.builder().setTokenizerPath(dir).build();
        TextPromptCodec codec = new TextPromptCodec(tokenizer, templates);
        Qwen2Model model = Qwen2Checkpoints.load(dir, device);
        try {
            if (tokenizer.vocabSize() > model.config().vocabSize()) {
                throw new IllegalArgumentException(
                        dir
                                + ": tokenizer.json has "
                                + tokenizer.vocabSize()
                                + " tokens but the model's vocabulary is "
                                + model.config().vocabSize());
            }
            return new PcoLm(
                    model,
                    codec,
                    categories,
                    settings,
                    Optional.empty(),
                    Optional.of(recorded),
                    Optional.of(templates));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Loads a saved model: embedded, or a checkpoint backbone (loaded from the base path it
     * records, on the selected device; the caller loads its adapter).
     */
    static PcoLm load(Path dir, DeviceSelection device) {
        if (!Files.isRegularFile(dir.resolve(Qwen2Checkpoints.CONFIG))
                && !Files.isRegularFile(dir.resolve(BACKBONE))) {
            throw new IllegalArgumentException(
                    dir
                            + " is not a saved PCO model: neither "
                            + Qwen2Checkpoints.CONFIG
                            + " (embedded model) nor "
                            + BACKBONE
                            + " (checkpoint-backed) is there");
        }
        if (!Files.isRegularFile(dir.resolve(SETTINGS))) {
            throw new IllegalArgumentException(
                    dir + " is not a saved PCO model: " + SETTINGS + " is missing");
        }
        PromptSettings settings = PromptSettings.read(dir.resolve(SETTINGS));
        if (Files.isRegularFile(dir.resolve(BACKBONE))) {
            JsonNode b = readJson(dir.resolve(BACKBONE));
            Path base = Path.of(b.path("base_model").asText());
            String expected = b.path("config_sha256").asText();
            String actual = configDigest(base, dir.resolve(BACKBONE));
            if (!expected.equals(actual)) {
                throw new IllegalStateException(
                        dir.resolve(BACKBONE)
                                + ": the base checkpoint "
                                + base
                                + " changed since the adapters were trained (config.json SHA-256 "
                                + actual
                                + ", expected "
                                + expected
                                + ")");
            }
            List<String> names = new ArrayList<>();
            readJson(dir.resolve(CATEGORIES)).forEach(n -> names.add(n.asText()));
            return fromCheckpoint(
                    base, names, settings, device, PromptTemplates.load(dir.resolve(PROMPTS)));
        }
        for (String f : List.of(Qwen2Checkpoints.CONFIG, VOCABULARY)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException(
                        dir + " is not a saved PCO model: " + f + " is missing");
            }
        }
        DomainTokenizer vocabulary = DomainTokenizer.load(dir.resolve(VOCABULARY));
        NDManager manager = NDManager.newBaseManager();
        try {
            return embedded(
                    Qwen2Checkpoints.load(dir, manager, DataType.FLOAT32), vocabulary, settings);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Saves what this backbone needs (the owning model adds its adapter). */
    void save(Path dir) {
        try {
            Files.createDirectories(dir);
            settings.write(dir.resolve(SETTINGS));
            if (base.isPresent()) {
                ObjectNode b = JSON.createObjectNode();
                b.put("base_model", base.get().toString());
                b.put("config_sha256", configDigest(base.get(), base.get()));
                b.put("lora_rank", LORA_RANK);
                Files.writeString(dir.resolve(BACKBONE), b.toString(), StandardCharsets.UTF_8);
                ArrayNode c = JSON.createArrayNode();
                names.forEach(c::add);
                Files.writeString(dir.resolve(CATEGORIES), c.toString(), StandardCharsets.UTF_8);
                templates.orElseThrow().save(dir.resolve(PROMPTS));
            } else {
                Qwen2Checkpoints.save(model, dir, SafetensorsDtype.F32, 0);
                vocabulary.orElseThrow().save(dir.resolve(VOCABULARY));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the PCO model to " + dir, e);
        }
    }

    /** Whether the backbone is a frozen checkpoint trained through LoRA adapters only. */
    boolean adaptersOnly() {
        return base.isPresent();
    }

    /**
     * The LoRA adapter configuration of this checkpoint backbone (the reward model saves score);
     * PEFT reads {@code base_model_name_or_path} as the base path.
     */
    LoraConfig lora(boolean withScore) {
        LoraConfig.Builder b =
                LoraConfig.builder()
                        .setRank(LORA_RANK)
                        .optAlpha(2.0 * LORA_RANK)
                        .optAllLinear()
                        .optBaseModel(base.orElseThrow().toString());
        if (withScore) {
            b.optModulesToSave(List.of("score")).optTaskType("SEQ_CLS");
        } else {
            b.optTaskType("CAUSAL_LM");
        }
        return b.build();
    }

    /** Each category's answer ids (its tokens, then the end id), by category id. */
    int[] answer(int categoryId) {
        name(categoryId);
        return answers.get(categoryId);
    }

    /** Whether every answer is one token then the end id (the embedded vocabulary). */
    boolean singleTokenAnswers() {
        return answers.stream().allMatch(a -> a.length == 2);
    }

    /** The answers as a prefix tree for constrained decoding (built on first use). */
    synchronized TokenTrie trie() {
        if (trie == null) {
            trie = new TokenTrie(answers);
        }
        return trie;
    }

    /** The category name of an id. */
    String name(int categoryId) {
        if (categoryId < 0 || categoryId >= names.size()) {
            throw new IllegalArgumentException(
                    "category id "
                            + categoryId
                            + " is not in the model's vocabulary of "
                            + names.size()
                            + " categories");
        }
        return names.get(categoryId);
    }

    int categories() {
        return names.size();
    }

    /**
     * The prompt fields of a prompt under these settings (with a candidate for Relevance). Text
     * prompts read the group profile as text (the profile text when the prompt has one, else its
     * dominant categories) and say "none" where an ablation leaves a field empty.
     */
    PromptFields fields(PcoPrompt p, Integer candidate) {
        PromptFields.Builder b = PromptFields.builder();
        p.csid().ifPresent(b::optCsid);
        List<String> profile = namesOf(p.profile());
        b.optProfileCategories(profile);
        List<String> recent = namesOf(p.recent());
        if (settings.shortTerm()) {
            recent = RecentCategories.keepLast(recent, settings.recentWindow());
        } else {
            recent = List.of();
        }
        if (adaptersOnly()) {
            String text =
                    !p.profileText().isBlank()
                            ? p.profileText()
                            : profile.isEmpty() ? "unknown" : String.join(", ", profile);
            b.optProfile(text);
            if (recent.isEmpty()) {
                recent = List.of("none");
            }
        }
        b.optRecentCategories(recent);
        if (candidate != null) {
            b.optCandidate(name(candidate));
        }
        return b.build();
    }

    private List<String> namesOf(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(name(id));
        }
        return out;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String configDigest(Path base, Path forError) {
        Path config = base.resolve(Qwen2Checkpoints.CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException(
                    forError + ": the base checkpoint " + base + " has no " + config.getFileName());
        }
        try {
            return ModelRegistry.sha256(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config, e);
        }
    }

    @Override
    public void close() {
        model.close();
        if (codec instanceof TextPromptCodec t && t.tokenizer() instanceof HfTextTokenizer h) {
            h.close();
        }
    }
}
