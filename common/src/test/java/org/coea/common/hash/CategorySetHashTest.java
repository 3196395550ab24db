package org.coea.common.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CategorySetHashTest {

    /**
     * Golden values from an independent implementation: the bytes (sorted distinct ids, 4-byte
     * little-endian) hashed by {@code xxhsum -H3} (xxHash 0.8.1, Debian package {@code xxhash}).
     */
    @Test
    void matchesReferenceXxh3Vectors() {
        assertThat(CategorySetHash.hex(List.of())).isEqualTo("2d06800538d394c2");
        assertThat(CategorySetHash.hex(List.of(7))).isEqualTo("57ae44811628c14c");
        assertThat(CategorySetHash.hex(List.of(3, 14, 7))).isEqualTo("e17121f8dd9c6fa0");
        assertThat(CategorySetHash.hex(List.of(-1, 0, 1))).isEqualTo("5817b3cf63f3a528");
        assertThat(CategorySetHash.hex(List.of(0, 2, 5, 7, 13, 17))).isEqualTo("b429a4c0da0e159b");
    }

    @Test
    void ignoresOrderAndDuplicates() {
        assertThat(CategorySetHash.hash(List.of(7, 3, 14, 3)))
                .isEqualTo(CategorySetHash.hash(Set.of(3, 7, 14)));
        assertThat(CategorySetHash.hash(List.of(1, 2)))
                .isNotEqualTo(CategorySetHash.hash(List.of(1, 3)));
    }

    @Test
    void hexIsSixteenLowerCaseDigits() {
        assertThat(CategorySetHash.hex(List.of(123456))).matches("[0-9a-f]{16}");
    }
}
