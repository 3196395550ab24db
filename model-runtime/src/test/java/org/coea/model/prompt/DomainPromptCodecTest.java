package org.coea.model.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.coea.common.model.GroupCsid;
import org.coea.model.tokens.DomainTokenizer;
import org.junit.jupiter.api.Test;

/**
 * Golden sequences over a vocabulary with CSID shape 2 x 4 and four categories: specials 0-9
 * ({@code <pad> <eos> <bos> <sep> <profile> <recent> <candidate> <novelty> <relevance> <unk>}),
 * {@code <L0:0>}-{@code <L0:3>} 10-13, {@code <L1:0>}-{@code <L1:3>} 14-17, Action 18, Comedy 19,
 * Drama 20, Sci-Fi 21.
 */
class DomainPromptCodecTest {
    private static final DomainTokenizer VOCABULARY =
            DomainTokenizer.builder()
                    .setCsidShape(2, 4)
                    .setCategories(List.of("Action", "Comedy", "Drama", "Sci-Fi"))
                    .build();
    private static final DomainPromptCodec CODEC = new DomainPromptCodec(VOCABULARY);

    private static final PromptFields FIELDS =
            PromptFields.builder()
                    .optCsid(GroupCsid.of(1, 3))
                    .optProfile("Sci-fi fans")
                    .optProfileCategories(List.of("Drama", "Action"))
                    .optRecentCategories(List.of("Comedy", "Sci-Fi"))
                    .optCandidate("Action")
                    .build();

    @Test
    void noveltyPrompt() {
        int[] ids = CODEC.prompt(PromptKind.NOVELTY, FIELDS);
        assertThat(ids).containsExactly(2, 7, 11, 17, 4, 20, 18, 5, 19, 21, 3);
        assertThat(VOCABULARY.decode(ids))
                .isEqualTo(
                        "<bos> <novelty> <L0:1> <L1:3> <profile> Drama Action <recent> Comedy"
                                + " Sci-Fi <sep>");
    }

    @Test
    void relevancePromptEndsWithTheCandidate() {
        assertThat(CODEC.prompt(PromptKind.RELEVANCE, FIELDS))
                .containsExactly(2, 8, 11, 17, 4, 20, 18, 5, 19, 21, 3, 6, 18);
    }

    @Test
    void withoutLongTermFieldsTheMarkersStay() {
        PromptFields withoutLong =
                PromptFields.builder()
                        .optRecentCategories(List.of("Drama"))
                        .optCandidate("Comedy")
                        .build();
        assertThat(CODEC.prompt(PromptKind.NOVELTY, withoutLong))
                .containsExactly(2, 7, 4, 5, 20, 3);
        assertThat(CODEC.prompt(PromptKind.RELEVANCE, withoutLong))
                .containsExactly(2, 8, 4, 5, 20, 3, 6, 19);
    }

    @Test
    void answersAreTheCategoryTokenThenEos() {
        assertThat(CODEC.answer("Sci-Fi")).containsExactly(21, 1);
        assertThat(CODEC.categorySequences(List.of("Drama", "Action")))
                .containsExactly(new int[] {20, 1}, new int[] {18, 1});
        assertThat(CODEC.eosId()).isEqualTo(1);
        assertThat(CODEC.padId()).isZero();
        assertThatThrownBy(() -> CODEC.answer("Western"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Western'");
    }

    @Test
    void theAppendixWindowShortensOnlyTheRecentPart() {
        PromptFields longRecent =
                FIELDS.toBuilder()
                        .optRecentCategories(List.of("Action", "Drama", "Comedy", "Sci-Fi"))
                        .build();
        assertThat(CODEC.prompt(PromptKind.NOVELTY, longRecent.keepLastRecent(2)))
                .isEqualTo(CODEC.prompt(PromptKind.NOVELTY, FIELDS));
    }

    @Test
    void missingFieldsAreNamed() {
        PromptFields noRecent = FIELDS.toBuilder().optRecentCategories(List.of()).build();
        assertThatThrownBy(() -> CODEC.prompt(PromptKind.NOVELTY, noRecent))
                .isInstanceOfSatisfying(
                        MissingPromptFieldException.class,
                        e -> {
                            assertThat(e.field()).isEqualTo("recent_categories");
                            assertThat(e.kind()).isEqualTo(PromptKind.NOVELTY);
                        });
        PromptFields noCandidate =
                PromptFields.builder().optRecentCategories(List.of("Drama")).build();
        assertThatThrownBy(() -> CODEC.prompt(PromptKind.RELEVANCE, noCandidate))
                .isInstanceOf(MissingPromptFieldException.class)
                .hasMessageContaining("'candidate'");
    }

    @Test
    void unknownCategoriesAndUnfitCsidsAreNamed() {
        PromptFields unknown =
                FIELDS.toBuilder().optProfileCategories(List.of("Drama", "Western")).build();
        assertThatThrownBy(() -> CODEC.prompt(PromptKind.NOVELTY, unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'profile_categories'")
                .hasMessageContaining("'Western'");
        PromptFields wideCsid = FIELDS.toBuilder().optCsid(GroupCsid.of(1, 9)).build();
        assertThatThrownBy(() -> CODEC.prompt(PromptKind.NOVELTY, wideCsid))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("001-009");
    }

    @Test
    void theEmbeddedModelWritesNoProfiles() {
        assertThatThrownBy(() -> CODEC.prompt(PromptKind.PROFILE, FIELDS))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("profile_categories");
    }
}
