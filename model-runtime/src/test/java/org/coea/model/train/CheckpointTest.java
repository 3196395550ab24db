package org.coea.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final float[] MATRIX = {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, -0f, 7f};

    @TempDir Path dir;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Map<String, NDArray> parameters() {
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("model.layers.0.q_proj.weight", manager.create(MATRIX, new Shape(2, 3)));
        params.put("scale", manager.create(0.125f));
        params.put(
                "blocks/0:gain é",
                manager.create(new float[] {0.5f, 65504f, -1f}).toType(DataType.FLOAT16, false));
        params.values().forEach(p -> p.setRequiresGradient(true));
        return params;
    }

    private static AdamWState state() {
        return new AdamWState(
                9,
                Map.of(
                        "scale",
                        new AdamWState.Moments(
                                7, new long[0], new float[] {0.1f}, new float[] {0.01f})));
    }

    @Test
    void savedParametersAndStateLoadBackBitForBit() throws IOException {
        Path target = dir.resolve("step-9");
        Checkpoint.save(target, 9, parameters(), state());

        Checkpoint loaded = Checkpoint.load(target);
        assertThat(loaded.step()).isEqualTo(9);
        assertThat(loaded.parameterNames())
                .containsExactly("model.layers.0.q_proj.weight", "scale", "blocks/0:gain é");
        assertThat(loaded.optimizerState()).contains(state());
        assertThat(loaded.shape("scale")).isEqualTo(new Shape());
        assertThat(loaded.dataType("blocks/0:gain é")).isEqualTo(DataType.FLOAT16);

        try (NDManager fresh = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> restored = loaded.newParameters(fresh);
            NDArray matrix = restored.get("model.layers.0.q_proj.weight");
            assertThat(matrix.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(matrix.toFloatArray()).isEqualTo(MATRIX);
            assertThat(restored.get("scale").getShape()).isEqualTo(new Shape());
            assertThat(restored.get("scale").getFloat()).isEqualTo(0.125f);
            NDArray half = restored.get("blocks/0:gain é");
            assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(half.toType(DataType.FLOAT32, false).toFloatArray())
                    .containsExactly(0.5f, 65504f, -1f);
            assertThat(restored.values()).allMatch(NDArray::hasGradient);
            assertThat(matrix.getManager()).isSameAs(fresh);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(matrix.sum());
            }
            assertThat(matrix.getGradient().toFloatArray()).containsOnly(1f);
        }
    }

    @Test
    void filesAreLittleEndianFloat32WithTheirShaInTheManifest() throws Exception {
        Path target = dir.resolve("ckpt");
        Checkpoint.save(target, 3, parameters(), state());
        JsonNode manifest = new ObjectMapper().readTree(target.resolve("manifest.json").toFile());

        assertThat(manifest.get("format").asText()).isEqualTo("coea-train-checkpoint");
        assertThat(manifest.get("version").asInt()).isEqualTo(1);
        assertThat(manifest.get("step").asLong()).isEqualTo(3);
        JsonNode matrix = manifest.get("parameters").get(0);
        assertThat(matrix.get("name").asText()).isEqualTo("model.layers.0.q_proj.weight");
        assertThat(matrix.get("file").asText())
                .isEqualTo("parameters/model.layers.0.q_proj.weight.bin");
        assertThat(matrix.get("shape").toString()).isEqualTo("[2,3]");
        assertThat(matrix.get("dtype").asText()).isEqualTo("float32");
        JsonNode half = manifest.get("parameters").get(2);
        assertThat(half.get("file").asText())
                .isEqualTo("parameters/blocks%2F0%3Again%20%C3%A9.bin");
        assertThat(half.get("dtype").asText()).isEqualTo("float16");

        byte[] bytes = Files.readAllBytes(target.resolve(matrix.get("file").asText()));
        assertThat(bytes).hasSize(MATRIX.length * 4);
        ByteBuffer little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (float expected : MATRIX) {
            assertThat(Float.floatToRawIntBits(little.getFloat()))
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
        for (JsonNode entry :
                List.of(
                        matrix,
                        half,
                        manifest.at("/optimizer/parameters/0/first_moment"),
                        manifest.at("/optimizer/parameters/0/second_moment"))) {
            byte[] content = Files.readAllBytes(target.resolve(entry.get("file").asText()));
            String sha =
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            assertThat(entry.get("sha256").asText()).as(entry.get("file").asText()).isEqualTo(sha);
        }
        JsonNode optimizer = manifest.get("optimizer");
        assertThat(optimizer.get("type").asText()).isEqualTo("adamw");
        assertThat(optimizer.get("step").asLong()).isEqualTo(9);
        assertThat(optimizer.at("/parameters/0/step").asLong()).isEqualTo(7);
        assertThat(optimizer.at("/parameters/0/first_moment/file").asText())
                .isEqualTo("optimizer/first_moment/scale.bin");
        assertThat(optimizer.at("/parameters/0/second_moment/shape").toString()).isEqualTo("[]");
    }

    @Test
    void aCorruptedFileFailsItsChecksum() throws IOException {
        Path target = dir.resolve("ckpt");
        Checkpoint.save(target, 1, parameters(), state());
        Path file = target.resolve("parameters/model.layers.0.q_proj.weight.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[5] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> Checkpoint.load(target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("fails its checksum");

        Files.write(file, new byte[8]);
        assertThatThrownBy(() -> Checkpoint.load(target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has 8 bytes, but shape [2, 3] needs 24");
    }

    @Test
    void savingIsAtomicAndNeverOverwrites() throws IOException {
        Path target = dir.resolve("ckpt");
        Checkpoint.save(target, 1, parameters());
        assertThat(Checkpoint.load(target).optimizerState()).isEmpty();
        assertThatThrownBy(() -> Checkpoint.save(target, 2, parameters(), state()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Checkpoint.load(target).step()).isEqualTo(1);

        Map<String, NDArray> withInts = parameters();
        withInts.put("counts", manager.create(new int[] {1, 2}));
        Path failed = dir.resolve("failed");
        assertThatThrownBy(() -> Checkpoint.save(failed, 1, withInts, state()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counts is int32");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .as("no partial directory remains")
                    .containsExactly("ckpt");
        }
    }

    @Test
    void restoringIntoExistingArraysCopiesInPlace() throws IOException {
        Path target = dir.resolve("ckpt");
        Checkpoint.save(target, 4, parameters(), state());
        Checkpoint loaded = Checkpoint.load(target);

        Map<String, NDArray> model = new LinkedHashMap<>();
        model.put("model.layers.0.q_proj.weight", manager.zeros(new Shape(2, 3)));
        model.put("scale", manager.create(9f));
        model.put("blocks/0:gain é", manager.zeros(new Shape(3), DataType.FLOAT16));
        model.values().forEach(p -> p.setRequiresGradient(true));
        NDArray matrix = model.get("model.layers.0.q_proj.weight");
        loaded.restoreInto(model);

        assertThat(model.get("model.layers.0.q_proj.weight")).isSameAs(matrix);
        assertThat(matrix.toFloatArray()).isEqualTo(MATRIX);
        assertThat(model.get("scale").getFloat()).isEqualTo(0.125f);
        assertThat(model.get("blocks/0:gain é").toType(DataType.FLOAT32, false).toFloatArray())
                .containsExactly(0.5f, 65504f, -1f);
        assertThat(matrix.hasGradient()).isTrue();

        Map<String, NDArray> missing = new LinkedHashMap<>(model);
        missing.remove("scale");
        assertThatThrownBy(() -> loaded.restoreInto(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the arrays to restore are");
        Map<String, NDArray> reshaped = new LinkedHashMap<>(model);
        reshaped.put("scale", manager.create(new float[] {1f}));
        assertThatThrownBy(() -> loaded.restoreInto(reshaped))
                .hasMessageContaining("parameter scale has shape (1), the checkpoint ()");
        assertThat(model.get("scale").getFloat()).as("nothing copied").isEqualTo(0.125f);
    }

    @Test
    void fileNamesEncodeUnsafeCharactersInjectively() {
        assertThat(Checkpoint.fileName("a.b_c-D9")).isEqualTo("a.b_c-D9.bin");
        assertThat(Checkpoint.fileName("..")).isEqualTo("%2E..bin");
        assertThat(Checkpoint.fileName("a/b")).isEqualTo("a%2Fb.bin");
        assertThat(Checkpoint.fileName("a%2Fb")).isEqualTo("a%252Fb.bin");
        assertThatThrownBy(() -> Checkpoint.fileName("")).hasMessageContaining("empty");
    }
}
