package org.coea.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coea.model.safetensors.SafetensorsFixtures.concat;
import static org.coea.model.safetensors.SafetensorsFixtures.longs;
import static org.coea.model.safetensors.SafetensorsFixtures.shorts;
import static org.coea.model.safetensors.SafetensorsFixtures.toArray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir Path dir;

    @Test
    void writesTheHandBuiltExpectedBytes() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put(
                "a",
                TensorData.ofFloats(new float[] {1f, -2.5f}, new long[] {2}, SafetensorsDtype.F32));
        tensors.put(
                "b",
                TensorData.ofFloats(
                        new float[] {1f, -2.5f, 65504f}, new long[] {3}, SafetensorsDtype.F16));
        tensors.put(
                "c",
                TensorData.ofFloats(
                        new float[] {1f, -2.5f}, new long[] {1, 2}, SafetensorsDtype.BF16));
        tensors.put(
                "n",
                TensorData.ofBytes(SafetensorsDtype.I64, new long[0], ByteBuffer.wrap(longs(-7))));
        Path path = dir.resolve("out.safetensors");
        SafetensorsWriter.write(path, tensors, Map.of("format", "pt"));

        String json =
                "{\"__metadata__\":{\"format\":\"pt\"},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[8,14]},"
                        + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[14,18]},"
                        + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[18,26]}}";
        int length = json.length();
        String padded = json + " ".repeat((8 - length % 8) % 8);
        byte[] expected =
                concat(
                        longs(padded.length()),
                        padded.getBytes(StandardCharsets.US_ASCII),
                        new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0},
                        new byte[] {0, 0x3C, 0, (byte) 0xC1, (byte) 0xFF, 0x7B},
                        new byte[] {(byte) 0x80, 0x3F, 0x20, (byte) 0xC0},
                        new byte[] {(byte) 0xF9, -1, -1, -1, -1, -1, -1, -1});
        assertThat(padded.length() % 8).isZero();
        assertThat(Files.readAllBytes(path)).isEqualTo(expected);
    }

    @Test
    void omitsEmptyMetadataAndParsesBackIdentically() throws IOException {
        Path path = dir.resolve("plain.safetensors");
        SafetensorsWriter.write(
                path,
                Map.of(
                        "x",
                        TensorData.ofFloats(
                                new float[] {0.5f}, new long[] {1}, SafetensorsDtype.F32)));
        byte[] bytes = Files.readAllBytes(path);
        // 54 bytes of JSON padded with 2 spaces to 56
        String header =
                new String(
                        bytes,
                        8,
                        (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0),
                        StandardCharsets.UTF_8);
        assertThat(header)
                .isEqualTo("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}  ");
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.metadata()).isEmpty();
            assertThat(file.readFloat32("x")).containsExactly(0.5f);
        }
    }

    @Test
    void floatsAreRoundedToNearestEvenOnDisk() throws IOException {
        float bf16Tie = Float.intBitsToFloat(0x3F808000);
        float bf16TieUp = Float.intBitsToFloat(0x3F818000);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put(
                "h",
                TensorData.ofFloats(
                        new float[] {1.00048828125f, 1.00146484375f, 65520f, 8.940697e-8f, 0.1f},
                        new long[] {5},
                        SafetensorsDtype.F16));
        tensors.put(
                "b",
                TensorData.ofFloats(
                        new float[] {bf16Tie, bf16TieUp, 1f},
                        new long[] {3},
                        SafetensorsDtype.BF16));
        tensors.put(
                "d", TensorData.ofFloats(new float[] {0.1f}, new long[] {1}, SafetensorsDtype.F64));
        Path path = dir.resolve("rounded.safetensors");
        SafetensorsWriter.write(path, tensors);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(toArray(file.bytes("h")))
                    .isEqualTo(shorts(0x3C00, 0x3C02, 0x7C00, 0x0002, 0x2E66));
            assertThat(toArray(file.bytes("b"))).isEqualTo(shorts(0x3F80, 0x3F82, 0x3F80));
            assertThat(file.bytes("d").getDouble(0)).isEqualTo((double) 0.1f);
        }
    }

    /** Random raw bits of every float type (NaNs included) survive write, read, write unchanged. */
    @Test
    void rawRoundTripIsBitForBit() throws IOException {
        Random random = new Random(11);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, byte[]> raw = new LinkedHashMap<>();
        addRandom(tensors, raw, random, "layers.0.f32", SafetensorsDtype.F32, 3, 5);
        addRandom(tensors, raw, random, "layers.0.f16", SafetensorsDtype.F16, 7);
        addRandom(tensors, raw, random, "layers.1.bf16", SafetensorsDtype.BF16, 2, 2, 3);
        addRandom(tensors, raw, random, "ids", SafetensorsDtype.I64, 4);
        addRandom(tensors, raw, random, "mask", SafetensorsDtype.BOOL, 3);
        addRandom(tensors, raw, random, "scalar", SafetensorsDtype.F32);
        addRandom(tensors, raw, random, "empty", SafetensorsDtype.F16, 0, 4);
        Path first = dir.resolve("first.safetensors");
        SafetensorsWriter.write(first, tensors, Map.of("format", "pt", "step", "12"));

        Path second = dir.resolve("second.safetensors");
        try (SafetensorsFile file = SafetensorsFile.open(first)) {
            assertThat(file.names()).containsExactlyElementsOf(raw.keySet());
            Map<String, TensorData> again = new LinkedHashMap<>();
            for (String name : file.names()) {
                assertThat(toArray(file.bytes(name))).as(name).isEqualTo(raw.get(name));
                again.put(name, TensorData.of(file, name));
            }
            SafetensorsWriter.write(second, again, file.metadata());
        }
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void shardedWriteReadsBackThroughTheCheckpointAndIndexNamesEveryTensor() throws IOException {
        Random random = new Random(5);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, byte[]> raw = new LinkedHashMap<>();
        addRandom(tensors, raw, random, "t0", SafetensorsDtype.F32, 10); // 40 bytes
        addRandom(tensors, raw, random, "t1", SafetensorsDtype.BF16, 20); // 40
        addRandom(tensors, raw, random, "t2", SafetensorsDtype.F16, 4, 5); // 40
        addRandom(tensors, raw, random, "t3", SafetensorsDtype.F32, 30); // 120, over the limit
        addRandom(tensors, raw, random, "t4", SafetensorsDtype.U8, 8); // 8
        Path out = dir.resolve("ckpt");

        List<Path> shards =
                SafetensorsWriter.writeSharded(out, tensors, 100, Map.of("format", "pt"));

        // greedy in order: [t0 t1] 80, [t2] (t2 would make 120), [t3] alone, [t4]
        assertThat(shards)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "model-00001-of-00004.safetensors",
                        "model-00002-of-00004.safetensors",
                        "model-00003-of-00004.safetensors",
                        "model-00004-of-00004.safetensors");
        try (Stream<Path> listing = Files.list(out)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .as("no temporary files left behind")
                    .containsExactlyInAnyOrder(
                            "model-00001-of-00004.safetensors",
                            "model-00002-of-00004.safetensors",
                            "model-00003-of-00004.safetensors",
                            "model-00004-of-00004.safetensors",
                            "model.safetensors.index.json");
        }

        JsonNode index =
                new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(248);
        assertThat(index.get("metadata").get("format").asText()).isEqualTo("pt");
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Iterator<String> it = index.get("weight_map").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            weightMap.put(name, index.get("weight_map").get(name).asText());
        }
        assertThat(weightMap)
                .containsOnly(
                        Map.entry("t0", "model-00001-of-00004.safetensors"),
                        Map.entry("t1", "model-00001-of-00004.safetensors"),
                        Map.entry("t2", "model-00002-of-00004.safetensors"),
                        Map.entry("t3", "model-00003-of-00004.safetensors"),
                        Map.entry("t4", "model-00004-of-00004.safetensors"));

        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(out)) {
            assertThat(checkpoint.isSharded()).isTrue();
            assertThat(checkpoint.names()).containsExactly("t0", "t1", "t2", "t3", "t4");
            assertThat(checkpoint.metadata())
                    .containsEntry("total_size", "248")
                    .containsEntry("format", "pt");
            for (String name : raw.keySet()) {
                assertThat(toArray(checkpoint.bytes(name))).as(name).isEqualTo(raw.get(name));
                assertThat(checkpoint.info(name).shape()).isEqualTo(tensors.get(name).shape());
            }
            assertThat(checkpoint.fileOf("t3")).isEqualTo(shards.get(2));
            assertThat(checkpoint.files()).hasSize(4);
            try (SafetensorsFile shard = SafetensorsFile.open(shards.get(0))) {
                assertThat(shard.metadata()).containsExactly(Map.entry("format", "pt"));
            }
        }
    }

    @Test
    void overwritesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path path = dir.resolve("w.safetensors");
        Files.writeString(path, "old contents");
        SafetensorsWriter.write(
                path,
                Map.of(
                        "x",
                        TensorData.ofFloats(
                                new float[] {2f}, new long[] {1}, SafetensorsDtype.F32)));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.readFloat32("x")).containsExactly(2f);
        }
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).containsExactly(path);
        }
    }

    @Test
    void failedRenameLeavesTheTargetAloneAndNoTemporaryFile() throws IOException {
        // a non-empty directory cannot be replaced by a file: the final rename fails
        Path target = dir.resolve("busy.safetensors");
        Files.createDirectories(target);
        Files.writeString(target.resolve("inside"), "keep");
        TensorData one =
                TensorData.ofFloats(new float[] {1f}, new long[] {1}, SafetensorsDtype.F32);
        assertThatThrownBy(() -> SafetensorsWriter.write(target, Map.of("x", one)))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("inside"))).isEqualTo("keep");
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).containsExactly(target);
        }
    }

    @Test
    void rejectsInvalidInput() {
        assertThatThrownBy(
                        () ->
                                TensorData.ofBytes(
                                        SafetensorsDtype.F32,
                                        new long[] {3},
                                        ByteBuffer.allocate(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 bytes given but shape [3] of F32 needs 12");
        assertThatThrownBy(
                        () ->
                                TensorData.ofFloats(
                                        new float[3], new long[] {2}, SafetensorsDtype.F32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 values given but shape [2] needs 2");
        assertThatThrownBy(
                        () ->
                                TensorData.ofFloats(
                                        new float[2], new long[] {2}, SafetensorsDtype.I32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not I32");
        TensorData one = TensorData.ofFloats(new float[1], new long[] {1}, SafetensorsDtype.F32);
        assertThatThrownBy(
                        () ->
                                SafetensorsWriter.write(
                                        dir.resolve("m.safetensors"), Map.of("__metadata__", one)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__metadata__");
        assertThatThrownBy(() -> SafetensorsWriter.writeSharded(dir, Map.of("a", one), 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void addRandom(
            Map<String, TensorData> tensors,
            Map<String, byte[]> raw,
            Random random,
            String name,
            SafetensorsDtype dtype,
            long... shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        byte[] bytes = new byte[(int) count * dtype.byteSize()];
        random.nextBytes(bytes);
        raw.put(name, bytes);
        tensors.put(name, TensorData.ofBytes(dtype, shape, ByteBuffer.wrap(bytes)));
    }
}
