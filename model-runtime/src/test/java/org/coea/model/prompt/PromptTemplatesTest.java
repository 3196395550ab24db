package org.coea.model.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.coea.common.model.GroupCsid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplatesTest {
    private static final PromptFields FIELDS =
            PromptFields.builder()
                    .optCsid(GroupCsid.of(3, 14, 7))
                    .optProfile("Thrill seekers: prefer fast action and crime")
                    .optProfileCategories(List.of("Action", "Crime"))
                    .optRecentCategories(List.of("Action", "Thriller"))
                    .optCandidate("Documentary")
                    .optHistories(
                            List.of(
                                    List.of("Heat (1995) (Action)", "Se7en (1995) (Thriller)"),
                                    List.of("Fargo (1996) (Crime)")))
                    .build();

    @Test
    void defaultTemplatesUseThePapersFields() {
        PromptTemplates t = PromptTemplates.defaults();
        assertThat(t.placeholders(PromptKind.NOVELTY))
                .containsExactly("profile", "recent_categories");
        assertThat(t.placeholders(PromptKind.RELEVANCE))
                .containsExactly("profile", "recent_categories", "candidate");
        assertThat(t.placeholders(PromptKind.PROFILE)).containsExactly("histories");
        assertThat(t.system())
                .startsWith("You are a recommendation assistant.")
                .doesNotEndWith("\n");
    }

    @Test
    void rendersTheNoveltyTemplate() {
        assertThat(PromptTemplates.defaults().render(PromptKind.NOVELTY, FIELDS))
                .isEqualTo(
                        "Group profile (the long-term interests of users like this one): Thrill"
                                + " seekers: prefer fast action and crime\n\n"
                                + "Categories of this user's most recent clicks, oldest first:"
                                + " Action, Thriller\n\n"
                                + "Suggest one category that this user has not engaged with"
                                + " recently but is likely to enjoy, given the group profile. Do"
                                + " not repeat a category from the recent clicks. Answer with the"
                                + " category name only.");
    }

    @Test
    void rendersTheProfileTemplateWithOneLinePerUser() {
        assertThat(PromptTemplates.defaults().render(PromptKind.PROFILE, FIELDS))
                .contains(
                        "oldest first; each item reads \"title (category)\".\n\n"
                                + "User 1: Heat (1995) (Action); Se7en (1995) (Thriller)\n"
                                + "User 2: Fargo (1996) (Crime)\n\n"
                                + "Summarise the interests this group shares in one sentence");
    }

    @Test
    void missingFieldsAreNamed() {
        PromptTemplates t = PromptTemplates.defaults();
        assertThatThrownBy(
                        () ->
                                t.render(
                                        PromptKind.RELEVANCE,
                                        PromptFields.builder()
                                                .optProfile("p")
                                                .optRecentCategories(List.of("Action"))
                                                .build()))
                .isInstanceOfSatisfying(
                        MissingPromptFieldException.class,
                        e -> {
                            assertThat(e.field()).isEqualTo("candidate");
                            assertThat(e.kind()).isEqualTo(PromptKind.RELEVANCE);
                        })
                .hasMessageContaining("'candidate'")
                .hasMessageContaining("RELEVANCE");
        assertThatThrownBy(
                        () ->
                                t.render(
                                        PromptKind.NOVELTY,
                                        PromptFields.builder()
                                                .optRecentCategories(List.of("Action"))
                                                .build()))
                .hasMessageContaining("'profile'");
        assertThatThrownBy(() -> t.render(PromptKind.PROFILE, PromptFields.builder().build()))
                .hasMessageContaining("'histories'");
        assertThat(t.render(PromptKind.RELEVANCE, FIELDS))
                .contains("Candidate category: Documentary");
    }

    @Test
    void rejectsUnknownPlaceholdersAndStrayBraces() {
        assertThatThrownBy(() -> PromptTemplates.of("sys", templates("Hi {{ recent }}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown placeholder {{recent}}")
                .hasMessageContaining("novelty.txt")
                .hasMessageContaining("{{recent_categories}}");
        assertThatThrownBy(() -> PromptTemplates.of("sys", templates("Hi\n{{profile}")))
                .hasMessageContaining("stray")
                .hasMessageContaining("novelty.txt");
        assertThatThrownBy(() -> PromptTemplates.of("{{profile}}", templates("ok")))
                .hasMessageContaining("system.txt");
    }

    @Test
    void placeholdersMayHoldSpacesAndRepeat() {
        PromptTemplates t =
                PromptTemplates.of(
                        "sys",
                        templates("{{ csid }} | {{recent_categories}} | {{csid}} | done\n\n"));
        assertThat(t.render(PromptKind.NOVELTY, FIELDS))
                .isEqualTo("003-014-007 | Action, Thriller | 003-014-007 | done");
        assertThat(t.placeholders(PromptKind.NOVELTY)).containsExactly("csid", "recent_categories");
    }

    @Test
    void loadsADirectoryAndNamesAMissingFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("system.txt"), "Be brief.\n");
        Files.writeString(dir.resolve("profile.txt"), "{{histories}}\n");
        Files.writeString(dir.resolve("novelty.txt"), "Recent: {{recent_categories}}\n");
        assertThatThrownBy(() -> PromptTemplates.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relevance.txt");
        Files.writeString(dir.resolve("relevance.txt"), "{{recent_categories}} / {{candidate}}");
        PromptTemplates t = PromptTemplates.load(dir);
        assertThat(t.system()).isEqualTo("Be brief.");
        PromptFields withoutLong =
                PromptFields.builder().optRecentCategories(List.of("Drama", "War")).build();
        assertThat(t.render(PromptKind.NOVELTY, withoutLong)).isEqualTo("Recent: Drama, War");
    }

    private static Map<PromptKind, String> templates(String novelty) {
        Map<PromptKind, String> m = new EnumMap<>(PromptKind.class);
        m.put(PromptKind.PROFILE, "{{histories}}");
        m.put(PromptKind.NOVELTY, novelty);
        m.put(PromptKind.RELEVANCE, "{{candidate}}");
        return m;
    }

    @Test
    void savedTemplatesLoadAndRenderTheSame(@TempDir Path dir) {
        PromptTemplates t = PromptTemplates.defaults();
        t.save(dir.resolve("prompts"));
        PromptTemplates back = PromptTemplates.load(dir.resolve("prompts"));
        PromptFields f =
                PromptFields.builder()
                        .optProfile("Film buffs: prefer dramas")
                        .optRecentCategories(List.of("Drama", "War"))
                        .optCandidate("Western")
                        .build();
        assertThat(back.system()).isEqualTo(t.system());
        for (PromptKind kind : List.of(PromptKind.NOVELTY, PromptKind.RELEVANCE)) {
            assertThat(back.render(kind, f)).isEqualTo(t.render(kind, f)).contains("Drama, War");
        }
    }
}
