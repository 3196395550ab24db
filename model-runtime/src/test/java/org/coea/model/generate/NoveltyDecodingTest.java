package org.coea.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.coea.common.model.GroupCsid;
import org.coea.model.prompt.DomainPromptCodec;
import org.coea.model.prompt.PromptCodec;
import org.coea.model.prompt.PromptFields;
import org.coea.model.prompt.PromptKind;
import org.coea.model.prompt.TextPromptCodec;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.tokens.HfTextTokenizer;
import org.coea.model.tokens.TinyTokenizerFixture;
import org.coea.model.train.SftExample;
import org.coea.model.train.SftTrainer;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;
import org.junit.jupiter.api.Test;

/**
 * Eq. 10 end to end on both model sizes through one prompt builder: a Novelty prompt, candidates
 * constrained to category names, never a category of the short-term set.
 */
class NoveltyDecodingTest {
    static final List<String> CATEGORIES =
            List.of("Action", "Comedy", "Drama", "Horror", "Sci-Fi", "War");

    static PromptFields fields(List<String> recent) {
        return PromptFields.builder()
                .optCsid(GroupCsid.of(1, 2))
                .optProfile("likes tense films")
                .optProfileCategories(List.of("Drama"))
                .optRecentCategories(recent)
                .build();
    }

    private static List<Candidate> propose(
            Qwen2Model model, PromptCodec codec, List<String> recent, int n) {
        Generator g = new Generator(model, codec.eosId(), codec.padId());
        TokenTrie trie = new TokenTrie(codec.categorySequences(CATEGORIES));
        Set<Integer> excluded = new HashSet<>();
        for (String c : recent) {
            excluded.add(CATEGORIES.indexOf(c));
        }
        return g.topCandidates(
                        List.of(codec.prompt(PromptKind.NOVELTY, fields(recent))),
                        trie,
                        List.of(excluded),
                        n,
                        Qwen2Model.BASE)
                .get(0);
    }

    @Test
    void trainedDomainModelProposesTheLearnedNovelCategoryOutsideTheShortTermSet() {
        DomainTokenizer vocab =
                DomainTokenizer.builder().setCsidShape(2, 4).setCategories(CATEGORIES).build();
        DomainPromptCodec codec = new DomainPromptCodec(vocab);
        try (NDManager manager = NDManager.newBaseManager()) {
            Qwen2Config config =
                    new Qwen2Config(vocab.vocabSize(), 32, 64, 2, 4, 2, 1e-6, 10000.0, false, 64);
            Qwen2Model model =
                    Qwen2Model.of(
                            config,
                            manager.newSubManager(),
                            Qwen2Model.randomWeights(config, manager, 3, DataType.FLOAT32));
            // Rule: after recent [X, Y] the next novel category is the one after Y in the list.
            List<SftExample> train = new ArrayList<>();
            for (int i = 0; i < CATEGORIES.size(); i++) {
                for (int j = 0; j < CATEGORIES.size(); j++) {
                    int next = (j + 1) % CATEGORIES.size();
                    if (i == j || next == i) {
                        continue;
                    }
                    List<String> recent = List.of(CATEGORIES.get(i), CATEGORIES.get(j));
                    train.add(
                            new SftExample(
                                    codec.prompt(PromptKind.NOVELTY, fields(recent)),
                                    codec.answer(CATEGORIES.get(next))));
                }
            }
            new SftTrainer(model, Qwen2Model.BASE, model.parameters(), codec.padId())
                    .train(
                            train,
                            TrainingOptions.builder()
                                    .setSteps(150)
                                    .setLearningRate(3e-3)
                                    .optBatchSize(8)
                                    .optSeed(1)
                                    .build(),
                            new TrainingLog());
            List<Candidate> top = propose(model, codec, List.of("Comedy", "Horror"), 3);
            assertThat(top).hasSize(3);
            assertThat(CATEGORIES.get(top.get(0).answer())).isEqualTo("Sci-Fi");
            assertThat(top)
                    .noneMatch(
                            c ->
                                    CATEGORIES.get(c.answer()).equals("Comedy")
                                            || CATEGORIES.get(c.answer()).equals("Horror"));
            assertThat(top.get(0).logProb()).isGreaterThan(top.get(1).logProb());
        }
    }

    @Test
    void textTokenizerPathConstrainsMultiTokenCategoryNames() {
        try (HfTextTokenizer tokenizer = TinyTokenizerFixture.load();
                NDManager manager = NDManager.newBaseManager()) {
            TextPromptCodec codec = new TextPromptCodec(tokenizer);
            Qwen2Config config =
                    new Qwen2Config(
                            tokenizer.vocabSize(), 16, 32, 1, 2, 1, 1e-6, 10000.0, true, 2048);
            Qwen2Model model =
                    Qwen2Model.of(
                            config,
                            manager.newSubManager(),
                            Qwen2Model.randomWeights(config, manager, 4, DataType.FLOAT32));
            List<Candidate> top = propose(model, codec, List.of("Drama", "War"), 10);
            assertThat(top).hasSize(4);
            for (Candidate c : top) {
                String name = CATEGORIES.get(c.answer());
                assertThat(name).isNotIn("Drama", "War");
                assertThat(tokenizer.decode(c.tokens())).startsWith(name);
                assertThat(c.tokens()[c.tokens().length - 1]).isEqualTo(codec.eosId());
            }
            assertThat(codec.answer("Sci-Fi").length).isGreaterThan(2);
        }
    }
}
