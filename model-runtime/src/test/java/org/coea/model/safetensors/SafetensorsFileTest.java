package org.coea.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coea.model.safetensors.SafetensorsFixtures.concat;
import static org.coea.model.safetensors.SafetensorsFixtures.file;
import static org.coea.model.safetensors.SafetensorsFixtures.longs;
import static org.coea.model.safetensors.SafetensorsFixtures.toArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsFileTest {
    @TempDir Path dir;

    @Test
    void readsTheHandBuiltGoldenFile() throws IOException {
        Path path =
                SafetensorsFixtures.write(dir, "golden.safetensors", SafetensorsFixtures.golden());
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.names()).as("data order").containsExactly("w", "h", "b", "i", "e");
            assertThat(file.metadata())
                    .containsExactly(Map.entry("format", "pt"), Map.entry("note", "caf\u00e9"));
            assertThat(file.dataStart())
                    .isEqualTo(
                            8
                                    + SafetensorsFixtures.GOLDEN_HEADER.getBytes(
                                                    StandardCharsets.UTF_8)
                                            .length);

            assertThat(file.info("w"))
                    .isEqualTo(new TensorInfo("w", SafetensorsDtype.F32, new long[] {2, 2}, 0, 16));
            assertThat(file.info("h"))
                    .isEqualTo(new TensorInfo("h", SafetensorsDtype.F16, new long[] {3}, 16, 22));
            assertThat(file.info("b"))
                    .isEqualTo(new TensorInfo("b", SafetensorsDtype.BF16, new long[] {2}, 22, 26));
            TensorInfo scalar = file.info("i");
            assertThat(scalar.shape()).isEmpty();
            assertThat(scalar.elementCount()).isEqualTo(1);
            assertThat(scalar.byteSize()).isEqualTo(8);
            TensorInfo empty = file.info("e");
            assertThat(empty.shape()).containsExactly(0, 3);
            assertThat(empty.elementCount()).isZero();

            assertThat(file.readFloat32("w")).containsExactly(1.5f, -2f, 0.25f, 1e10f);
            assertThat(file.readFloat32("h")).containsExactly(1f, -2.5f, 65504f);
            assertThat(file.readFloat32("b")).containsExactly(1f, -2.5f);
            assertThat(file.readFloat32("e")).isEmpty();

            ByteBuffer i = file.bytes("i");
            assertThat(i.isReadOnly()).isTrue();
            assertThat(i.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(i.remaining()).isEqualTo(8);
            assertThat(i.getLong(0)).isEqualTo(-7L);
            assertThat(toArray(file.bytes("h")))
                    .containsExactly(0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B);
            assertThat(file.bytes("e").remaining()).isZero();

            assertThat(file.contains("w")).isTrue();
            assertThat(file.contains("x")).isFalse();
            assertThat(file.fileOf("w")).isEqualTo(path);
        }
    }

    @Test
    void unknownNamesAndNonFloatReadsNameTheFileAndTensor() throws IOException {
        Path path =
                SafetensorsFixtures.write(dir, "golden.safetensors", SafetensorsFixtures.golden());
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThatThrownBy(() -> file.info("missing"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(path.toString())
                    .hasMessageContaining("'missing'");
            assertThatThrownBy(() -> file.readFloat32("i"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(path.toString())
                    .hasMessageContaining("'i'")
                    .hasMessageContaining("I64");
        }
    }

    @Test
    void bytesAfterCloseFailWhileEarlierViewsStayReadable() throws IOException {
        Path path =
                SafetensorsFixtures.write(dir, "golden.safetensors", SafetensorsFixtures.golden());
        SafetensorsFile file = SafetensorsFile.open(path);
        ByteBuffer w = file.bytes("w");
        file.close();
        assertThat(w.getFloat(12)).isEqualTo(1e10f);
        assertThatThrownBy(() -> file.bytes("w"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(path.toString());
    }

    @Test
    void emptyHeaderWithNoTensorsIsValid() throws IOException {
        Path path =
                SafetensorsFixtures.write(dir, "empty.safetensors", file("{}      ", new byte[0]));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.names()).isEmpty();
            assertThat(file.metadata()).isEmpty();
        }
    }

    @Test
    void truncatedFileNamesTheTensorThatRunsPastTheEnd() throws IOException {
        byte[] whole = SafetensorsFixtures.golden();
        // drop the last 3 bytes: the I64 scalar 'i' [26, 34] no longer fits (and neither does the
        // empty 'e' at 34, which sorts after it)
        Path path =
                SafetensorsFixtures.write(
                        dir, "cut.safetensors", Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("tensor '")
                .hasMessageContaining("run past the 31-byte data buffer")
                .satisfies(
                        e ->
                                assertThat(((SafetensorsFormatException) e).tensor())
                                        .hasValueSatisfying(t -> assertThat(t).isIn("i", "e")))
                .satisfies(
                        e -> assertThat(((SafetensorsFormatException) e).file()).isEqualTo(path));
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Path path = SafetensorsFixtures.write(dir, "tiny.safetensors", new byte[] {1, 0, 0});
        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("3 bytes, shorter than the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        byte[] bytes = concat(longs(1000), "{}".getBytes(StandardCharsets.UTF_8));
        Path path = SafetensorsFixtures.write(dir, "long.safetensors", bytes);
        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("header length 1000 runs past the end of the file");
    }

    @Test
    void absurdHeaderLengthIsRejectedBeforeAllocating() throws IOException {
        Path path = SafetensorsFixtures.write(dir, "huge.safetensors", longs(-1L));
        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("18446744073709551615 is over the");
    }

    static Stream<Arguments> brokenHeaders() {
        return Stream.of(
                Arguments.of(
                        "overlap",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                        12,
                        "b",
                        "overlap tensor 'a' [0, 8]"),
                Arguments.of(
                        "offsets outside the data",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                        4,
                        "a",
                        "run past the 4-byte data buffer"),
                Arguments.of(
                        "gap",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                        12,
                        "b",
                        "leave a gap"),
                Arguments.of(
                        "trailing bytes",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                        8,
                        "a",
                        "data buffer has 8 bytes but the tensors cover 4"),
                Arguments.of(
                        "length differs from the shape",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                        8,
                        "a",
                        "hold 8 bytes but shape [3] of F32 needs 12"),
                Arguments.of(
                        "end before begin",
                        "{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}",
                        4,
                        "a",
                        "end before they begin"),
                Arguments.of(
                        "unknown dtype",
                        "{\"a\":{\"dtype\":\"F17\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                        4,
                        "a",
                        "unknown dtype 'F17'"),
                Arguments.of(
                        "lower-case dtype",
                        "{\"a\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                        4,
                        "a",
                        "unknown dtype 'f32'"),
                Arguments.of(
                        "negative dimension",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
                        4,
                        "a",
                        "\"shape\" holds -1"),
                Arguments.of(
                        "three offsets",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}",
                        4,
                        "a",
                        "\"data_offsets\" has 3 entries, not 2"),
                Arguments.of(
                        "missing shape",
                        "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}",
                        4,
                        "a",
                        "missing or non-array \"shape\""),
                Arguments.of(
                        "entry not an object",
                        "{\"a\":[1,2]}",
                        0,
                        "a",
                        "entry is ARRAY, not an object"),
                Arguments.of(
                        "shape overflows",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                                + "\"data_offsets\":[0,4]}}",
                        4,
                        "a",
                        "overflows 64 bits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenHeaders")
    void brokenHeadersNameTheFileAndTensor(
            String label, String header, int dataLength, String tensor, String detail)
            throws IOException {
        Path path =
                SafetensorsFixtures.write(
                        dir, "broken.safetensors", file(header, new byte[dataLength]));
        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .as(label)
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(path + ": tensor '" + tensor + "': ")
                .hasMessageContaining(detail)
                .satisfies(
                        e ->
                                assertThat(((SafetensorsFormatException) e).tensor())
                                        .contains(tensor));
    }

    static Stream<Arguments> brokenJson() {
        return Stream.of(
                Arguments.of("not JSON", "{\"a\":", "not valid JSON"),
                Arguments.of("an array", "[1,2]  ", "header is JSON ARRAY, not an object"),
                Arguments.of(
                        "duplicate tensor",
                        "{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},"
                                + "\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}",
                        "Duplicate field 'a'"),
                Arguments.of("trailing garbage", "{} x", "not valid JSON"),
                Arguments.of(
                        "metadata value not a string",
                        "{\"__metadata__\":{\"step\":3}}",
                        "__metadata__ value of 'step' is NUMBER, not a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenJson")
    void brokenJsonNamesTheFile(String label, String header, String detail) throws IOException {
        Path path = SafetensorsFixtures.write(dir, "json.safetensors", file(header, new byte[0]));
        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .as(label)
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(path + ": ")
                .hasMessageContaining(detail);
    }

    @Test
    void invalidUtf8HeaderIsRejected() throws IOException {
        byte[] header = {'{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '};
        Path path =
                SafetensorsFixtures.write(
                        dir, "utf8.safetensors", concat(longs(header.length), header));
        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void readFloat32WidensF64ToTheNearestFloat() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.1).putDouble(-3.0);
        Path path =
                SafetensorsFixtures.write(
                        dir,
                        "f64.safetensors",
                        file(
                                "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                                data.array()));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.readFloat32("d")).containsExactly(0.1f, -3f);
        }
    }
}
