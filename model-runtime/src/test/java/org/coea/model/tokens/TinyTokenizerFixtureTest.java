package org.coea.model.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TinyTokenizerFixtureTest {
    @Test
    void committedFixtureIsWhatTheGeneratorWrites() throws Exception {
        assertThat(Files.readString(TinyTokenizerFixture.path(), StandardCharsets.UTF_8))
                .as("regenerate with TinyTokenizerFixture.main")
                .isEqualTo(TinyTokenizerFixture.generate());
    }

    @Test
    void byteAlphabetIsGpt2s() {
        char[] alphabet = TinyTokenizerFixture.byteAlphabet();
        Set<Character> distinct = new HashSet<>();
        for (char c : alphabet) {
            distinct.add(c);
        }
        assertThat(distinct).hasSize(256);
        assertThat(alphabet[' ']).isEqualTo('Ġ');
        assertThat(alphabet['\n']).isEqualTo('Ċ');
        assertThat(alphabet['a']).isEqualTo('a');
        assertThat(alphabet[0]).isEqualTo('Ā');
    }
}
