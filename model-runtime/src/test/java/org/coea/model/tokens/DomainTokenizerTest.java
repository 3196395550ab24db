package org.coea.model.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coea.common.model.GroupCsid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainTokenizerTest {
    private static final List<String> CATEGORIES =
            List.of("Action", "Children's", "Sci-Fi", "Home & Kitchen");

    private static DomainTokenizer vocabulary() {
        return DomainTokenizer.builder().setCsidShape(3, 4).setCategories(CATEGORIES).build();
    }

    @Test
    void specialTokensHaveFixedIds() {
        DomainTokenizer t = vocabulary();
        assertThat(t.tokens().subList(0, 10))
                .containsExactly(
                        "<pad>",
                        "<eos>",
                        "<bos>",
                        "<sep>",
                        "<profile>",
                        "<recent>",
                        "<candidate>",
                        "<novelty>",
                        "<relevance>",
                        "<unk>");
        assertThat(t.padId()).isZero();
        assertThat(t.eosId()).isEqualTo(1);
        assertThat(DomainTokenizer.Special.UNK.id()).isEqualTo(9);
        assertThat(t.id("<relevance>")).hasValue(8);
    }

    @Test
    void csidTokensFollowLevelMajorOrder() {
        DomainTokenizer t = vocabulary();
        assertThat(t.tokens().subList(10, 22))
                .containsExactly(
                        "<L0:0>", "<L0:1>", "<L0:2>", "<L0:3>", "<L1:0>", "<L1:1>", "<L1:2>",
                        "<L1:3>", "<L2:0>", "<L2:1>", "<L2:2>", "<L2:3>");
        assertThat(t.csidTokens(GroupCsid.of(3, 0, 2))).containsExactly(13, 14, 20);
        assertThat(t.csidTokens(GroupCsid.of(1, 1))).as("a prefix CSID").containsExactly(11, 15);
        assertThatThrownBy(() -> t.csidTokens(GroupCsid.of(0, 4, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("000-004-000")
                .hasMessageContaining("code 4 at level 1");
        assertThatThrownBy(() -> t.csidTokens(GroupCsid.of(0, 0, 0, 0)))
                .hasMessageContaining("4 levels");
    }

    @Test
    void categoriesFollowInIdOrderAndMapBothWays() {
        DomainTokenizer t = vocabulary();
        assertThat(t.vocabSize()).isEqualTo(10 + 12 + 4);
        assertThat(t.categoryToken("Action")).isEqualTo(22);
        assertThat(t.categoryToken("Home & Kitchen")).isEqualTo(25);
        assertThat(t.token(25)).isEqualTo("Home_&_Kitchen");
        assertThat(t.category(25)).hasValue("Home & Kitchen");
        assertThat(t.category(23)).hasValue("Children's");
        assertThat(t.category(21)).isEmpty();
        assertThat(t.category(26)).isEmpty();
        assertThatThrownBy(() -> t.categoryToken("Western"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Western'");
    }

    @Test
    void encodesKnownWordsAndMapsTheRestToUnk() {
        DomainTokenizer t = vocabulary();
        assertThat(t.encode(" <bos> <novelty>  <L0:3> Sci-Fi Western\tHome_&_Kitchen <eos> "))
                .containsExactly(2, 7, 13, 24, 9, 25, 1);
        assertThat(t.encode("  ")).isEmpty();
        assertThat(t.decode(new int[] {2, 7, 13, 24, 9, 25, 1}))
                .isEqualTo("<bos> <novelty> <L0:3> Sci-Fi <unk> Home_&_Kitchen <eos>");
        assertThatThrownBy(() -> t.decode(new int[] {26}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("26");
    }

    @Test
    void idsDependOnlyOnTheShapeAndTheCategoryOrder() {
        DomainTokenizer a = vocabulary();
        DomainTokenizer b = vocabulary();
        assertThat(b.tokens()).isEqualTo(a.tokens());
        assertThat(b).isEqualTo(a);
        DomainTokenizer reordered =
                DomainTokenizer.builder()
                        .setCsidShape(3, 4)
                        .setCategories(List.of("Sci-Fi", "Action", "Children's", "Home & Kitchen"))
                        .build();
        assertThat(reordered.categoryToken("Sci-Fi")).isEqualTo(22);
        assertThat(reordered).isNotEqualTo(a);
    }

    @Test
    void savesAndLoadsItsVocabulary(@TempDir Path dir) throws Exception {
        DomainTokenizer t = vocabulary();
        Path file = dir.resolve("vocabulary.json");
        t.save(file);
        String json = Files.readString(file);
        assertThat(json)
                .contains("\"format\" : \"coea-domain-vocabulary\"")
                .contains("\"csid_levels\" : 3")
                .contains("\"Home & Kitchen\"")
                .contains("\"<L2:3>\"");
        DomainTokenizer loaded = DomainTokenizer.load(file);
        assertThat(loaded).isEqualTo(t);
        assertThat(loaded.tokens()).isEqualTo(t.tokens());
        assertThat(loaded.categoryToken("Children's")).isEqualTo(23);
    }

    @Test
    void refusesAFileWhoseTokensShifted(@TempDir Path dir) throws Exception {
        String shifted = vocabulary().toJson().replace("\"<L0:0>\",", "\"<L0:0>\", \"<extra>\",");
        Path file = dir.resolve("vocabulary.json");
        Files.writeString(file, shifted);
        assertThatThrownBy(() -> DomainTokenizer.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("incompatible");
        assertThatThrownBy(() -> DomainTokenizer.fromJson("{\"format\":\"other\"}"))
                .hasMessageContaining("not a domain vocabulary");
    }

    @Test
    void rejectsCategoriesThatWouldClash() {
        assertThatThrownBy(
                        () ->
                                DomainTokenizer.builder()
                                        .setCsidShape(1, 2)
                                        .setCategories(List.of("Sci Fi", "Sci_Fi"))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Sci_Fi'")
                .hasMessageContaining("category 'Sci Fi'");
        assertThatThrownBy(
                        () ->
                                DomainTokenizer.builder()
                                        .setCsidShape(1, 2)
                                        .setCategories(List.of("<eos>"))
                                        .build())
                .hasMessageContaining("a special token");
        assertThatThrownBy(
                        () ->
                                DomainTokenizer.builder()
                                        .setCsidShape(1, 2)
                                        .setCategories(List.of("Drama", "Drama"))
                                        .build())
                .hasMessageContaining("duplicate");
        assertThatThrownBy(
                        () ->
                                DomainTokenizer.builder()
                                        .setCsidShape(1, 2)
                                        .setCategories(List.of(" "))
                                        .build())
                .hasMessageContaining("blank");
    }

    @Test
    void builderRequiresAValidShapeAndCategories() {
        assertThatThrownBy(() -> DomainTokenizer.builder().setCategories(CATEGORIES).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setCsidShape");
        assertThatThrownBy(() -> DomainTokenizer.builder().setCsidShape(3, 16).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setCategories");
        assertThatThrownBy(
                        () ->
                                DomainTokenizer.builder()
                                        .setCsidShape(0, 16)
                                        .setCategories(CATEGORIES)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("levels 0");
    }
}
