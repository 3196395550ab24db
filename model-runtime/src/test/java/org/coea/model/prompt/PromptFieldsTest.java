package org.coea.model.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.coea.common.model.GroupCsid;
import org.junit.jupiter.api.Test;

class PromptFieldsTest {
    @Test
    void keepsOnlyTheLastKRecentCategories() {
        List<String> recent = List.of("Action", "Comedy", "Drama", "Horror");
        assertThat(RecentCategories.keepLast(recent, RecentCategories.DEFAULT_WINDOW))
                .containsExactly("Drama", "Horror");
        assertThat(RecentCategories.keepLast(recent, 3))
                .containsExactly("Comedy", "Drama", "Horror");
        assertThat(RecentCategories.keepLast(recent, 10)).isEqualTo(recent);
        assertThat(RecentCategories.keepLast(List.of("Drama"), 2)).containsExactly("Drama");
        assertThatThrownBy(() -> RecentCategories.keepLast(recent, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
    }

    @Test
    void sftAndInferencePromptsGetTheSameLengthUnderTheWindow() {
        List<String> shortTerm = List.of("Action", "Comedy", "Drama", "Horror", "War");
        List<String> sftPrompt =
                RecentCategories.keepLast(shortTerm.subList(0, shortTerm.size() - 1), 2);
        List<String> inferencePrompt = RecentCategories.keepLast(shortTerm, 2);
        assertThat(sftPrompt).containsExactly("Drama", "Horror");
        assertThat(inferencePrompt).containsExactly("Horror", "War");
        assertThat(sftPrompt).hasSameSizeAs(inferencePrompt);
    }

    @Test
    void keepLastRecentChangesOnlyTheRecentCategories() {
        PromptFields fields =
                PromptFields.builder()
                        .optCsid(GroupCsid.of(1, 2))
                        .optProfile("Film buffs")
                        .optProfileCategories(List.of("Drama"))
                        .optRecentCategories(List.of("Action", "Comedy", "War"))
                        .optCandidate("Western")
                        .build();
        PromptFields kept = fields.keepLastRecent(2);
        assertThat(kept.recentCategories()).containsExactly("Comedy", "War");
        assertThat(kept.toBuilder().optRecentCategories(fields.recentCategories()).build())
                .isEqualTo(fields);
    }

    @Test
    void copiesListsAndRejectsBlankValuesByFieldName() {
        List<String> recent = new ArrayList<>(List.of("Action"));
        List<String> history = new ArrayList<>(List.of("Heat (Action)"));
        PromptFields fields =
                PromptFields.builder()
                        .optRecentCategories(recent)
                        .optHistories(List.of(history))
                        .build();
        recent.add("Drama");
        history.add("Up (Animation)");
        assertThat(fields.recentCategories()).containsExactly("Action");
        assertThat(fields.histories()).containsExactly(List.of("Heat (Action)"));
        assertThat(fields.csid()).isEmpty();
        assertThat(fields.profileCategories()).isEmpty();

        assertThatThrownBy(
                        () ->
                                PromptFields.builder()
                                        .optRecentCategories(List.of("Action", " "))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'recent_categories'");
        assertThatThrownBy(() -> PromptFields.builder().optCandidate("").build())
                .hasMessageContaining("'candidate'");
        assertThatThrownBy(() -> PromptFields.builder().optProfile("\n").build())
                .hasMessageContaining("'profile'");
    }
}
