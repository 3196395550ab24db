package org.coea.model.pco;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.coea.model.prompt.DomainPromptCodec;
import org.coea.model.prompt.PromptFields;
import org.coea.model.prompt.RecentCategories;
import org.coea.model.qwen2.Qwen2Checkpoints;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.tokens.DomainTokenizer;

/**
 * A Qwen2 model on the domain vocabulary with its prompt settings; what the Novelty and Relevance
 * models share. Saved as {@code config.json}, {@code model.safetensors} (fp32), {@code
 * vocabulary.json} and {@code pco.json} (the prompt settings).
 */
final class DomainLm implements AutoCloseable {
    static final String VOCABULARY = "vocabulary.json";
    static final String SETTINGS = "pco.json";

    final Qwen2Model model;
    final DomainTokenizer vocabulary;
    final DomainPromptCodec codec;
    final PromptSettings settings;
    private final List<String> names;

    DomainLm(Qwen2Model model, DomainTokenizer vocabulary, PromptSettings settings) {
        this.model = Objects.requireNonNull(model, "model");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codec =
                settings.shortTerm()
                        ? new DomainPromptCodec(vocabulary)
                        : DomainPromptCodec.withoutShortTerm(vocabulary);
        this.names = vocabulary.categories();
    }

    static DomainLm create(
            DomainTokenizer vocabulary, TinyLmSpec spec, PromptSettings settings, long seed) {
        NDManager manager = NDManager.newBaseManager();
        try {
            var config = spec.config(vocabulary.vocabSize());
            return new DomainLm(
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

    static DomainLm load(Path dir) {
        for (String f : List.of(Qwen2Checkpoints.CONFIG, VOCABULARY, SETTINGS)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException(
                        dir + " is not a saved PCO model: " + f + " is missing");
            }
        }
        DomainTokenizer vocabulary = DomainTokenizer.load(dir.resolve(VOCABULARY));
        PromptSettings settings = PromptSettings.read(dir.resolve(SETTINGS));
        NDManager manager = NDManager.newBaseManager();
        try {
            return new DomainLm(
                    Qwen2Checkpoints.load(dir, manager, DataType.FLOAT32), vocabulary, settings);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    void save(Path dir) {
        Qwen2Checkpoints.save(model, dir, SafetensorsDtype.F32, 0);
        vocabulary.save(dir.resolve(VOCABULARY));
        settings.write(dir.resolve(SETTINGS));
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

    /** The prompt fields of a prompt under these settings (with a candidate for Relevance). */
    PromptFields fields(PcoPrompt p, Integer candidate) {
        PromptFields.Builder b = PromptFields.builder();
        p.csid().ifPresent(b::optCsid);
        b.optProfileCategories(namesOf(p.profile()));
        List<String> recent = namesOf(p.recent());
        if (settings.shortTerm()) {
            recent = RecentCategories.keepLast(recent, settings.recentWindow());
        } else {
            recent = List.of();
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

    @Override
    public void close() {
        model.close();
    }
}
