package org.coea.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coea.model.safetensors.SafetensorsFixtures.file;
import static org.coea.model.safetensors.SafetensorsFixtures.floats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {
    @TempDir Path dir;

    /** A hand-built one-tensor F32 file. */
    private static byte[] oneTensor(String name, float... values) {
        String header =
                "{\""
                        + name
                        + "\":{\"dtype\":\"F32\",\"shape\":["
                        + values.length
                        + "],\"data_offsets\":[0,"
                        + values.length * 4
                        + "]}}";
        return file(header, floats(values));
    }

    private static String index(String weightMap) {
        return "{\"metadata\":{\"total_size\":12,\"format\":\"pt\"},\"weight_map\":{"
                + weightMap
                + "}}";
    }

    @Test
    void opensADirectoryWithModelSafetensors() throws IOException {
        SafetensorsFixtures.write(dir, "model.safetensors", SafetensorsFixtures.golden());
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertThat(checkpoint.isSharded()).isFalse();
            assertThat(checkpoint.path()).isEqualTo(dir.resolve("model.safetensors"));
            assertThat(checkpoint.names()).containsExactly("w", "h", "b", "i", "e");
            assertThat(checkpoint.metadata()).containsEntry("format", "pt");
            assertThat(checkpoint.readFloat32("h")).containsExactly(1f, -2.5f, 65504f);
            assertThat(checkpoint.info("w").shape()).containsExactly(2, 2);
        }
    }

    @Test
    void opensADirectoryWithOneAdapterFile() throws IOException {
        String name = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
        SafetensorsFixtures.write(dir, "adapter_model.safetensors", oneTensor(name, 0.5f, -1f));
        Files.writeString(dir.resolve("adapter_config.json"), "{\"r\": 1}");
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertThat(checkpoint.names()).containsExactly(name);
            assertThat(checkpoint.readFloat32(name)).containsExactly(0.5f, -1f);
            assertThat(checkpoint.fileOf(name)).isEqualTo(dir.resolve("adapter_model.safetensors"));
        }
    }

    @Test
    void opensAFileOrAnIndexGivenDirectly() throws IOException {
        Path single = SafetensorsFixtures.write(dir, "x.safetensors", oneTensor("a", 3f));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(single)) {
            assertThat(checkpoint.readFloat32("a")).containsExactly(3f);
        }
        Path shards = dir.resolve("sharded");
        SafetensorsFixtures.write(shards, "s1.safetensors", oneTensor("a", 1f, 2f));
        SafetensorsFixtures.write(shards, "s2.safetensors", oneTensor("b", 3f));
        Path index = shards.resolve("model.safetensors.index.json");
        Files.writeString(index, index("\"b\":\"s2.safetensors\",\"a\":\"s1.safetensors\""));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(index)) {
            assertThat(checkpoint.isSharded()).isTrue();
            assertThat(checkpoint.names()).as("shard order").containsExactly("a", "b");
            assertThat(checkpoint.readFloat32("a")).containsExactly(1f, 2f);
            assertThat(checkpoint.readFloat32("b")).containsExactly(3f);
            assertThat(checkpoint.fileOf("b")).isEqualTo(shards.resolve("s2.safetensors"));
            assertThat(checkpoint.metadata())
                    .containsExactly(Map.entry("total_size", "12"), Map.entry("format", "pt"));
        }
    }

    @Test
    void closingTheCheckpointClosesItsShards() throws IOException {
        SafetensorsFixtures.write(dir, "s1.safetensors", oneTensor("a", 1f));
        Files.writeString(
                dir.resolve("model.safetensors.index.json"), index("\"a\":\"s1.safetensors\""));
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        checkpoint.close();
        assertThatThrownBy(() -> checkpoint.bytes("a")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void severalCandidateFilesAreAmbiguous() throws IOException {
        SafetensorsFixtures.write(dir, "a.safetensors", oneTensor("a", 1f));
        SafetensorsFixtures.write(dir, "b.safetensors", oneTensor("b", 1f));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("2 *.safetensors files instead of exactly one")
                .hasMessageContaining("a.safetensors")
                .hasMessageContaining("b.safetensors");
    }

    @Test
    void emptyDirectoryAndMissingPathFail() throws IOException {
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("0 *.safetensors files");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir.resolve("nope")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void singleFileAndIndexTogetherAreAmbiguous() throws IOException {
        SafetensorsFixtures.write(dir, "model.safetensors", oneTensor("a", 1f));
        SafetensorsFixtures.write(dir, "s1.safetensors", oneTensor("a", 1f));
        Files.writeString(
                dir.resolve("model.safetensors.index.json"), index("\"a\":\"s1.safetensors\""));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(
                        "holds both model.safetensors and model.safetensors.index.json");
    }

    @Test
    void missingShardNamesTheIndexAndTensor() throws IOException {
        SafetensorsFixtures.write(dir, "s1.safetensors", oneTensor("a", 1f));
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, index("\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\""));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(index + ": tensor 'b': ")
                .hasMessageContaining("shard 's2.safetensors' does not exist");
    }

    @Test
    void indexedTensorMissingFromItsShard() throws IOException {
        SafetensorsFixtures.write(dir, "s1.safetensors", oneTensor("a", 1f));
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, index("\"a\":\"s1.safetensors\",\"c\":\"s1.safetensors\""));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(index + ": tensor 'c': ")
                .hasMessageContaining("indexed in shard 's1.safetensors', which lacks it");
    }

    @Test
    void shardTensorMissingFromTheIndex() throws IOException {
        String header =
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        Path shard = SafetensorsFixtures.write(dir, "s1.safetensors", file(header, floats(1f, 2f)));
        Files.writeString(
                dir.resolve("model.safetensors.index.json"), index("\"a\":\"s1.safetensors\""));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(shard + ": tensor 'z': ")
                .hasMessageContaining("not in model.safetensors.index.json");
    }

    @Test
    void shardOutsideTheDirectoryIsRejected() throws IOException {
        Path inner = dir.resolve("inner");
        SafetensorsFixtures.write(dir, "outside.safetensors", oneTensor("a", 1f));
        Path index = inner.resolve("model.safetensors.index.json");
        Files.createDirectories(inner);
        Files.writeString(index, index("\"a\":\"../outside.safetensors\""));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(inner))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("tensor 'a'")
                .hasMessageContaining("lies outside");
    }

    @Test
    void brokenIndexJson() throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"metadata\":{}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(index + ": ")
                .hasMessageContaining("missing or non-object \"weight_map\"");
        Files.writeString(index, "{\"weight_map\":");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("index is not valid JSON");
    }

    @Test
    void aBrokenShardNamesTheShard() throws IOException {
        String header = "{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path shard = SafetensorsFixtures.write(dir, "s1.safetensors", file(header, floats(1f)));
        Files.writeString(
                dir.resolve("model.safetensors.index.json"), index("\"a\":\"s1.safetensors\""));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(shard + ": tensor 'a': ")
                .hasMessageContaining("unknown dtype 'Q4'");
    }
}
