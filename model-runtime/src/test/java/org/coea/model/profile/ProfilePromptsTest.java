package org.coea.model.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.coea.model.prompt.PromptFields;
import org.coea.model.prompt.PromptKind;
import org.coea.model.prompt.TextPromptCodec;
import org.coea.model.tokens.HfTextTokenizer;
import org.coea.model.tokens.TinyTokenizerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProfilePromptsTest {
    private static HfTextTokenizer tokenizer;
    private static TextPromptCodec codec;

    @BeforeAll
    static void load() {
        tokenizer = TinyTokenizerFixture.load();
        codec = new TextPromptCodec(tokenizer);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void itemsReadTitleThenCategories() {
        assertThat(ProfileFixtures.item(" Casino ", "Crime", "Drama").text())
                .isEqualTo("Casino (Crime, Drama)");
        assertThat(ProfileFixtures.item("Planet Earth").text()).isEqualTo("Planet Earth");
    }

    @Test
    void aPromptWithinTheBudgetHoldsEveryItemInTheProfileTemplate() {
        ProfilePrompt p = new ProfilePrompts(codec, 4096).prompt(ProfileFixtures.films());

        String histories =
                "User 1: Toy Story (Animation, Comedy); Heat (Action); Casino (Crime, Drama);"
                        + " Babe (Children's); Fargo (Crime)\n"
                        + "User 2: Alien (Horror, Sci-Fi); Brazil (Sci-Fi); Clerks (Comedy)";
        assertThat(p.text())
                .as("the PROFILE template in ChatML, histories one line per representative")
                .startsWith("<|im_start|>system\nYou are a recommendation assistant.")
                .contains("<|im_start|>user\nBelow are the click histories of representative")
                .contains("\"title (category)\".\n\n" + histories + "\n\nSummarise the interests")
                .endsWith("<|im_end|>\n<|im_start|>assistant\n");
        String direct =
                codec.render(
                        PromptKind.PROFILE,
                        PromptFields.builder()
                                .optHistories(
                                        List.of(
                                                List.of(
                                                        "Toy Story (Animation, Comedy)",
                                                        "Heat (Action)",
                                                        "Casino (Crime, Drama)",
                                                        "Babe (Children's)",
                                                        "Fargo (Crime)"),
                                                List.of(
                                                        "Alien (Horror, Sci-Fi)",
                                                        "Brazil (Sci-Fi)",
                                                        "Clerks (Comedy)")))
                                .build());
        assertThat(p.text()).isEqualTo(direct);
        assertThat(p.ids()).isEqualTo(tokenizer.encode(direct));
        assertThat(tokenizer.decode(p.ids())).isEqualTo(direct);
        assertThat(p.truncated()).isFalse();
        assertThat(p.keptItems()).isEqualTo(8);
    }

    @Test
    void admissionTakesTurnsNewestFirst() {
        List<List<ProfileItem>> h = ProfileFixtures.films().histories();
        assertThat(ProfilePrompts.kept(h, 0)).containsExactly(0, 0);
        assertThat(ProfilePrompts.kept(h, 1)).containsExactly(1, 0);
        assertThat(ProfilePrompts.kept(h, 5)).containsExactly(3, 2);
        assertThat(ProfilePrompts.kept(h, 7)).containsExactly(4, 3);
        assertThat(ProfilePrompts.kept(h, 8)).containsExactly(5, 3);
        List<List<ProfileItem>> s = ProfileFixtures.shows().histories();
        assertThat(ProfilePrompts.kept(s, 4)).containsExactly(2, 0, 2);
        assertThat(ProfilePrompts.kept(s, 5)).containsExactly(2, 0, 3);
    }

    @Test
    void anOverlongPromptKeepsTheMostRecentItemsThatFit() {
        GroupHistories films = ProfileFixtures.films();
        int full = new ProfilePrompts(codec, 4096).prompt(films).ids().length;
        int none = new ProfilePrompts(codec, 4096).render(films, 0).ids().length;
        for (int budget = none; budget < full; budget += 7) {
            ProfilePrompts prompts = new ProfilePrompts(codec, budget);
            ProfilePrompt p = prompts.prompt(films);
            assertThat(p.ids().length).as("budget %d", budget).isLessThanOrEqualTo(budget);
            assertThat(p.truncated()).isTrue();
            assertThat(p.totalItems()).isEqualTo(8);
            assertThat(p.ids()).isEqualTo(tokenizer.encode(p.text()));
            assertThat(prompts.render(films, p.keptItems() + 1).ids().length)
                    .as("one more item would not fit %d tokens", budget)
                    .isGreaterThan(budget);
        }
        // 5 items kept: the newest 3 of User 1 and 2 of User 2, oldest first.
        int five = new ProfilePrompts(codec, 4096).render(films, 5).ids().length;
        ProfilePrompt p = new ProfilePrompts(codec, five).prompt(films);
        assertThat(p.keptItems()).isEqualTo(5);
        assertThat(p.text())
                .contains(
                        "User 1: Casino (Crime, Drama); Babe (Children's); Fargo (Crime)\n"
                                + "User 2: Brazil (Sci-Fi); Clerks (Comedy)\n")
                .doesNotContain("Toy Story", "Heat", "Alien");
        ProfilePrompt empty = new ProfilePrompts(codec, none).prompt(films);
        assertThat(empty.keptItems()).isZero();
        assertThat(empty.text()).contains("User 1: (no items)\nUser 2: (no items)\n");
    }

    @Test
    void aBudgetBelowThePromptWithoutItemsIsRefused() {
        int none = new ProfilePrompts(codec, 4096).render(ProfileFixtures.films(), 0).ids().length;
        ProfilePrompts tight = new ProfilePrompts(codec, none - 1);
        assertThatThrownBy(() -> tight.prompt(ProfileFixtures.films()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(none + " tokens without any history item")
                .hasMessageContaining("budget of " + (none - 1));
        assertThatThrownBy(() -> new ProfilePrompts(codec, 0))
                .hasMessageContaining("maxPromptTokens must be positive");
    }

    @Test
    void aGroupWithoutItemsIsRefused() {
        assertThatThrownBy(() -> new GroupHistories(List.of(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one representative item");
    }
}
