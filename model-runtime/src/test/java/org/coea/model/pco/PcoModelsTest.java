package org.coea.model.pco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.coea.common.model.GroupCsid;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.train.TrainingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PCO models on a synthetic rule: the next novel category is (most recent + 3) mod 8, and the
 * prompt excludes the two recent ones. Small enough to learn in a few hundred steps.
 */
class PcoModelsTest {
    static final int CATS = 8;

    static DomainTokenizer vocabulary() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CATS; c++) {
            names.add("cat " + c);
        }
        return DomainTokenizer.builder().setCsidShape(2, 4).setCategories(names).build();
    }

    record Data(List<PcoPrompt> prompts, int[] targets, int[] others) {}

    static Data data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PcoPrompt> prompts = new ArrayList<>();
        int[] targets = new int[n];
        int[] others = new int[n];
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(CATS);
            int b = (a + 1 + r.nextInt(CATS - 1)) % CATS;
            int target = (b + 3) % CATS;
            if (target == a) {
                target = (b + 4) % CATS;
            }
            int other;
            do {
                other = r.nextInt(CATS);
            } while (other == a || other == b || other == target);
            prompts.add(
                    new PcoPrompt(
                            Optional.of(GroupCsid.of(r.nextInt(4), r.nextInt(4))),
                            new int[] {r.nextInt(CATS)},
                            // a longer history than the window of 2: only a, b count
                            new int[] {r.nextInt(CATS), a, b},
                            new int[] {a, b}));
            targets[i] = target;
            others[i] = other;
        }
        return new Data(prompts, targets, others);
    }

    static TrainingOptions options(int steps, double lr) {
        return TrainingOptions.builder()
                .setSteps(steps)
                .setLearningRate(lr)
                .optBatchSize(32)
                .optSeed(5)
                .build();
    }

    @Test
    void noveltySftLearnsTheRuleAndProposesOnlyAllowedCategories(@TempDir Path dir) {
        Data train = data(2000, 1);
        Data held = data(300, 2);
        try (NoveltyModel m =
                NoveltyModel.create(vocabulary(), TinyLmSpec.DEFAULT, PromptSettings.DEFAULT, 3)) {
            m.sft(train.prompts(), train.targets(), options(250, 3e-3), s -> {});
            assertThat(m.sftAccuracy(held.prompts(), held.targets()))
                    .as("held-out accuracy of the answer tokens (category and eos)")
                    .isGreaterThan(0.95);
            List<List<Proposal>> top = m.propose(held.prompts(), CATS);
            int hits = 0;
            for (int i = 0; i < top.size(); i++) {
                List<Proposal> p = top.get(i);
                assertThat(p).hasSize(CATS - 2);
                assertThat(p)
                        .extracting(Proposal::categoryId)
                        .doesNotContain(
                                held.prompts().get(i).excluded()[0],
                                held.prompts().get(i).excluded()[1]);
                double mass = p.stream().mapToDouble(x -> Math.exp(x.logProb())).sum();
                assertThat(mass)
                        .as("renormalised over the allowed categories")
                        .isCloseTo(1.0, within(1e-5));
                hits += p.get(0).categoryId() == held.targets()[i] ? 1 : 0;
            }
            assertThat(hits / (double) top.size()).isGreaterThan(0.95);

            // Batched prompts of different lengths (left padding) equal one-by-one proposals.
            List<PcoPrompt> mixed = new ArrayList<>(held.prompts().subList(0, 20));
            mixed.set(3, new PcoPrompt(Optional.empty(), new int[0], new int[] {5}, new int[] {5}));
            List<List<Proposal>> batched = m.propose(mixed, 3);
            for (int i = 0; i < mixed.size(); i++) {
                List<Proposal> single = m.propose(List.of(mixed.get(i)), 3).get(0);
                for (int k = 0; k < 3; k++) {
                    assertThat(batched.get(i).get(k).categoryId())
                            .isEqualTo(single.get(k).categoryId());
                    assertThat(batched.get(i).get(k).logProb())
                            .isCloseTo(single.get(k).logProb(), within(1e-4));
                }
            }

            m.save(dir.resolve("sft"));
            try (NoveltyModel back = NoveltyModel.load(dir.resolve("sft"))) {
                assertThat(back.propose(mixed, 3)).isEqualTo(batched);
            }
        }
    }

    @Test
    void dpoMovesProbabilityToTheChosenCategoryAndItsAdapterRoundTrips(@TempDir Path dir) {
        Data train = data(1500, 4);
        try (NoveltyModel m =
                NoveltyModel.create(vocabulary(), TinyLmSpec.DEFAULT, PromptSettings.DEFAULT, 3)) {
            m.sft(train.prompts(), train.targets(), options(100, 4e-3), s -> {});
            List<PcoPrompt> prompts = train.prompts().subList(0, 256);
            // Prefer the "other" category over the SFT target: DPO must move mass to it.
            int[] chosen = java.util.Arrays.copyOf(train.others(), 256);
            int[] rejected = java.util.Arrays.copyOf(train.targets(), 256);
            double before = meanLogProb(m, prompts, chosen);
            Map<String, Double> f =
                    m.dpo(prompts, chosen, rejected, 0.1, 0.1, options(40, 5e-3), 9, s -> {});
            double after = meanLogProb(m, prompts, chosen);
            assertThat(after).as("log p(chosen) after DPO").isGreaterThan(before + 0.1);
            assertThat(f.get("margin")).isGreaterThan(0.0);
            assertThat(f.get("kl")).isGreaterThanOrEqualTo(0.0);
            assertThat(m.hasAdapter()).isTrue();

            m.saveAdapter(dir.resolve("adapter"));
            List<List<Proposal>> expected = m.propose(prompts, 3);
            try (NoveltyModel base =
                    NoveltyModel.create(
                            vocabulary(), TinyLmSpec.DEFAULT, PromptSettings.DEFAULT, 3)) {
                m.save(dir.resolve("full"));
            }
            try (NoveltyModel back = NoveltyModel.load(dir.resolve("full"))) {
                assertThat(back.hasAdapter()).isTrue();
                assertThat(back.propose(prompts, 3)).isEqualTo(expected);
            }
        }
    }

    private static double meanLogProb(NoveltyModel m, List<PcoPrompt> prompts, int[] cats) {
        List<List<Proposal>> all = m.propose(prompts, CATS);
        double sum = 0;
        for (int i = 0; i < prompts.size(); i++) {
            int c = cats[i];
            sum +=
                    all.get(i).stream()
                            .filter(p -> p.categoryId() == c)
                            .findFirst()
                            .orElseThrow()
                            .logProb();
        }
        return sum / prompts.size();
    }

    @Test
    void relevanceRanksPositivesAboveNegatives(@TempDir Path dir) {
        Data train = data(2000, 6);
        Data held = data(300, 7);
        try (RelevanceModel r =
                RelevanceModel.create(
                        vocabulary(), TinyLmSpec.DEFAULT, PromptSettings.DEFAULT, 3)) {
            r.train(train.prompts(), train.targets(), train.others(), options(150, 4e-3), s -> {});
            assertThat(r.accuracy(held.prompts(), held.targets(), held.others()))
                    .isGreaterThan(0.9);
            double[] pos = r.score(held.prompts(), held.targets());
            double[] neg = r.score(held.prompts(), held.others());
            int right = 0;
            for (int i = 0; i < pos.length; i++) {
                assertThat(pos[i]).isBetween(0.0, 1.0);
                right += pos[i] > neg[i] ? 1 : 0;
            }
            assertThat(right / (double) pos.length).isGreaterThan(0.9);
            r.save(dir.resolve("r"));
            try (RelevanceModel back = RelevanceModel.load(dir.resolve("r"))) {
                assertThat(back.score(held.prompts(), held.targets())).containsExactly(pos);
            }
        }
    }

    @Test
    void unknownCategoriesAndMissingFilesAreNamed(@TempDir Path dir) {
        try (NoveltyModel m =
                NoveltyModel.create(vocabulary(), TinyLmSpec.DEFAULT, PromptSettings.DEFAULT, 3)) {
            PcoPrompt bad = new PcoPrompt(Optional.empty(), new int[0], new int[] {42}, new int[0]);
            assertThatThrownBy(() -> m.propose(List.of(bad), 2))
                    .hasMessageContaining("category id 42");
        }
        assertThatThrownBy(() -> NoveltyModel.load(dir))
                .hasMessageContaining("config.json")
                .hasMessageContaining(dir.toString());
    }
}
