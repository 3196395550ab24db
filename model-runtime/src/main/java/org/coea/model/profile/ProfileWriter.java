package org.coea.model.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;
import org.coea.model.generate.GenerationConfig;
import org.coea.model.generate.Generator;
import org.coea.model.prompt.PromptTemplates;
import org.coea.model.prompt.TextPromptCodec;
import org.coea.model.qwen2.Qwen2Checkpoints;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.safetensors.SafetensorsCheckpoint;
import org.coea.model.tokens.ChatMl;
import org.coea.model.tokens.HfTextTokenizer;

/**
 * The Profile model: a HuggingFace Qwen2 instruction checkpoint, used without fine-tuning, that
 * reads a group's representative histories ({@link ProfilePrompts}) and writes the group's short
 * textual profile by greedy decoding.
 *
 * <p>The checkpoint directory holds {@code config.json}, the weights ({@code model.safetensors} or
 * shards with their index) and {@code tokenizer.json}. Groups are decoded in batches of similar
 * prompt length (left-padded, KV cache); greedy decoding makes the text a function of the group's
 * histories and the settings. A row stops at the tokenizer's end-of-sequence token ({@code
 * <|im_end|>}); its text is cut at the first of that token, {@code <|endoftext|>} or {@code
 * <|im_start|>} (a model that ends the document or opens a new turn has finished its answer), ids
 * beyond the tokenizer's vocabulary (the padding rows of Qwen's embedding) are dropped, and any
 * ChatML marker spelled out in plain text is removed, so the profile can be placed in a later
 * ChatML prompt.
 *
 * <p>Calls of {@link #write} on one writer run one at a time (one model's activations on its
 * device).
 */
public final class ProfileWriter implements AutoCloseable {
    /** The tokenizer file a checkpoint directory must hold. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private final Path directory;
    private final Qwen2Model model;
    private final HfTextTokenizer tokenizer;
    private final ProfilePrompts prompts;
    private final Generator generator;
    private final GenerationConfig generation;
    private final int batchSize;
    private final int[] stopIds;

    private ProfileWriter(
            Path directory,
            Qwen2Model model,
            HfTextTokenizer tokenizer,
            ProfilePrompts prompts,
            int maxNewTokens,
            int batchSize) {
        this.directory = directory;
        this.model = model;
        this.tokenizer = tokenizer;
        this.prompts = prompts;
        this.generator = new Generator(model, tokenizer.eosId(), tokenizer.padId());
        this.generation = GenerationConfig.greedy(maxNewTokens);
        this.batchSize = batchSize;
        List<Integer> stops = new ArrayList<>(List.of(tokenizer.eosId()));
        tokenizer.id(ChatMl.END_OF_TEXT).ifPresent(stops::add);
        tokenizer.id(ChatMl.IM_START).ifPresent(stops::add);
        this.stopIds = stops.stream().mapToInt(Integer::intValue).distinct().toArray();
    }

    /** A builder; the model directory is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The prompt builder, with this writer's tokenizer, templates and budget. */
    public ProfilePrompts prompts() {
        return prompts;
    }

    /** The checkpoint directory this writer was loaded from. */
    public Path directory() {
        return directory;
    }

    /** The most tokens generated per profile. */
    public int maxNewTokens() {
        return generation.maxNewTokens();
    }

    /**
     * Writes one profile per group, in the order given.
     *
     * @throws IllegalArgumentException when a group's prompt cannot fit the token budget
     */
    public synchronized List<WrittenProfile> write(List<GroupHistories> groups) {
        List<ProfilePrompt> built = new ArrayList<>(groups.size());
        for (GroupHistories g : groups) {
            built.add(prompts.prompt(g));
        }
        // Similar lengths share a batch, so rows carry little padding.
        int[] order =
                IntStream.range(0, built.size())
                        .boxed()
                        .sorted(Comparator.comparingInt(i -> built.get(i).ids().length))
                        .mapToInt(Integer::intValue)
                        .toArray();
        WrittenProfile[] out = new WrittenProfile[built.size()];
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<int[]> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(built.get(order[i]).ids());
            }
            List<int[]> generated = generator.generate(batch, generation, Qwen2Model.BASE, true);
            for (int i = from; i < to; i++) {
                int[] g = generated.get(i - from);
                out[order[i]] = new WrittenProfile(text(g), built.get(order[i]), g.length);
            }
        }
        return Arrays.asList(out);
    }

    /** The profile text of generated ids, as the class describes. */
    String text(int[] generated) {
        int end = generated.length;
        for (int i = 0; i < generated.length && end == generated.length; i++) {
            for (int stop : stopIds) {
                if (generated[i] == stop) {
                    end = i;
                    break;
                }
            }
        }
        int vocab = tokenizer.vocabSize();
        int[] ids = Arrays.stream(generated, 0, end).filter(id -> id >= 0 && id < vocab).toArray();
        String text = tokenizer.decode(ids);
        for (String marker : new String[] {ChatMl.IM_START, ChatMl.IM_END, ChatMl.END_OF_TEXT}) {
            text = text.replace(marker, "");
        }
        return text.strip();
    }

    /** Frees the model and the tokenizer. */
    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }

    /**
     * Builds a {@link ProfileWriter}: {@code setModelPath} is required; 48 new tokens, a 1024-token
     * prompt budget, batches of 8 and {@code model.device=auto} by default.
     */
    public static final class Builder {
        private Path modelPath;
        private int maxNewTokens = 48;
        private int maxPromptTokens = 1024;
        private int batchSize = 8;
        private DeviceSelection device;
        private PromptTemplates templates;

        private Builder() {}

        /** The HuggingFace checkpoint directory: config.json, safetensors, tokenizer.json. */
        public Builder setModelPath(Path modelPath) {
            this.modelPath = Objects.requireNonNull(modelPath, "modelPath");
            return this;
        }

        /** The most tokens generated per profile (default 48). */
        public Builder optMaxNewTokens(int maxNewTokens) {
            this.maxNewTokens = maxNewTokens;
            return this;
        }

        /** The most tokens of a prompt; histories are truncated to fit (default 1024). */
        public Builder optMaxPromptTokens(int maxPromptTokens) {
            this.maxPromptTokens = maxPromptTokens;
            return this;
        }

        /** Groups decoded together (default 8). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Where the model runs (default: {@code auto}, see {@link DeviceSelection}). */
        public Builder optDevice(DeviceSelection device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** The prompt templates (default: {@link PromptTemplates#defaults()}). */
        public Builder optTemplates(PromptTemplates templates) {
            this.templates = Objects.requireNonNull(templates, "templates");
            return this;
        }

        /**
         * Checks the settings and the directory, then loads the tokenizer and the model.
         *
         * @throws IllegalStateException when no model path was set
         * @throws IllegalArgumentException naming a bad setting, the missing file of the directory,
         *     or a tokenizer that does not fit the model
         */
        public ProfileWriter build() {
            if (modelPath == null) {
                throw new IllegalStateException("ProfileWriter needs setModelPath(...)");
            }
            if (maxNewTokens <= 0 || maxPromptTokens <= 0 || batchSize <= 0) {
                throw new IllegalArgumentException(
                        "maxNewTokens, maxPromptTokens and batchSize must be positive, got "
                                + maxNewTokens
                                + ", "
                                + maxPromptTokens
                                + ", "
                                + batchSize);
            }
            if (!Files.isDirectory(modelPath)) {
                throw new IllegalArgumentException(
                        "the Profile model directory " + modelPath + " does not exist");
            }
            for (String name : List.of(Qwen2Checkpoints.CONFIG, TOKENIZER_FILE)) {
                Path file = modelPath.resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(
                            "the Profile model directory lacks " + name + ": " + file);
                }
            }
            if (!hasWeights(modelPath)) {
                throw new IllegalArgumentException(
                        "the Profile model directory lacks "
                                + SafetensorsCheckpoint.SINGLE_FILE
                                + " (or "
                                + SafetensorsCheckpoint.INDEX_FILE
                                + " with its shards): "
                                + modelPath.resolve(SafetensorsCheckpoint.SINGLE_FILE));
            }
            DeviceSelection selection =
                    device != null ? device : DeviceSelection.select(DeviceSetting.AUTO);
            HfTextTokenizer tokenizer =
                    HfTextTokenizer.builder()
                            .setTokenizerPath(modelPath.resolve(TOKENIZER_FILE))
                            .build();
            Qwen2Model model = null;
            try {
                TextPromptCodec codec =
                        new TextPromptCodec(
                                tokenizer,
                                templates != null ? templates : PromptTemplates.defaults());
                ProfilePrompts prompts = new ProfilePrompts(codec, maxPromptTokens);
                Path configFile = modelPath.resolve(Qwen2Checkpoints.CONFIG);
                Qwen2Config config = Qwen2Config.load(configFile);
                if (tokenizer.vocabSize() > config.vocabSize()) {
                    throw new IllegalArgumentException(
                            tokenizer.file()
                                    + " has "
                                    + tokenizer.vocabSize()
                                    + " token ids, more than the "
                                    + config.vocabSize()
                                    + " embedding rows of "
                                    + configFile);
                }
                if (maxPromptTokens + maxNewTokens > config.maxPositionEmbeddings()) {
                    throw new IllegalArgumentException(
                            "maxPromptTokens + maxNewTokens = "
                                    + (maxPromptTokens + maxNewTokens)
                                    + " exceeds max_position_embeddings "
                                    + config.maxPositionEmbeddings()
                                    + " of "
                                    + configFile);
                }
                model = Qwen2Checkpoints.load(modelPath, selection);
                return new ProfileWriter(
                        modelPath, model, tokenizer, prompts, maxNewTokens, batchSize);
            } catch (RuntimeException e) {
                if (model != null) {
                    model.close();
                }
                tokenizer.close();
                throw e;
            }
        }
    }

    private static boolean hasWeights(Path dir) {
        if (Files.isRegularFile(dir.resolve(SafetensorsCheckpoint.SINGLE_FILE))
                || Files.isRegularFile(dir.resolve(SafetensorsCheckpoint.INDEX_FILE))) {
            return true;
        }
        try (var files = Files.newDirectoryStream(dir, "*.safetensors")) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
