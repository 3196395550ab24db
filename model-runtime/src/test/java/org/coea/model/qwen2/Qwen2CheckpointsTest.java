package org.coea.model.qwen2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.coea.model.lora.LoraAdapters;
import org.coea.model.lora.LoraConfig;
import org.coea.model.lora.PeftAdapters;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsWriter;
import org.coea.model.safetensors.TensorData;
import org.coea.model.testutils.NaiveQwen2;
import org.coea.model.testutils.TinyQwen2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Qwen2CheckpointsTest {
    static final int[] TOKENS = {3, 17, 5, 29, 11, 2};

    @TempDir Path tmp;
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * Writes a HuggingFace-layout checkpoint directly with the safetensors writer (the test
     * utility).
     */
    static void writeHf(
            Path dir,
            Qwen2Config config,
            Map<String, NDArray> weights,
            SafetensorsDtype dtype,
            long shardBytes)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toJson());
        Map<String, TensorData> t = new LinkedHashMap<>();
        weights.forEach(
                (k, v) ->
                        t.put(
                                k,
                                TensorData.ofFloats(
                                        v.toFloatArray(), v.getShape().getShape(), dtype)));
        if (shardBytes <= 0) {
            SafetensorsWriter.write(dir.resolve("model.safetensors"), t, Map.of("format", "pt"));
        } else {
            SafetensorsWriter.writeSharded(dir, t, shardBytes, Map.of("format", "pt"));
        }
    }

    static float bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1); // round to nearest even (finite values)
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }

    private float[] logits(Qwen2Model m) {
        NDArray ids =
                manager.create(java.util.Arrays.stream(TOKENS).asLongStream().toArray())
                        .reshape(1, TOKENS.length);
        NDArray mask = ids.onesLike();
        return m.logits(m.forward(ids, mask, Optional.empty(), Qwen2Model.BASE), Qwen2Model.BASE)
                .toFloatArray();
    }

    @Test
    void loadsShardedFp32AndBf16Checkpoints() throws Exception {
        Qwen2Config config = TinyQwen2.config();
        Map<String, NDArray> w = TinyQwen2.weights(config, manager, 41);
        Map<String, float[]> values = TinyQwen2.values(w);
        writeHf(tmp.resolve("fp32"), config, w, SafetensorsDtype.F32, 8_000);
        writeHf(tmp.resolve("bf16"), config, w, SafetensorsDtype.BF16, 8_000);
        assertThat(tmp.resolve("fp32/model.safetensors.index.json")).exists();
        try (Stream<Path> files = Files.list(tmp.resolve("fp32"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".safetensors")).count())
                    .isGreaterThan(2);
        }

        try (Qwen2Model fp32 =
                Qwen2Checkpoints.load(tmp.resolve("fp32"), manager, DataType.FLOAT32)) {
            Qwen2ModelTest.assertClose(
                    logits(fp32),
                    new NaiveQwen2(config, values).logits(TOKENS),
                    1e-4,
                    "fp32 checkpoint");
        }
        Map<String, float[]> rounded = new LinkedHashMap<>();
        values.forEach(
                (k, v) -> {
                    float[] r = v.clone();
                    for (int i = 0; i < r.length; i++) {
                        r[i] = bf16(r[i]);
                    }
                    rounded.put(k, r);
                });
        try (Qwen2Model bf16 =
                Qwen2Checkpoints.load(tmp.resolve("bf16"), manager, DataType.FLOAT32)) {
            assertThat(bf16.dataType()).isEqualTo(DataType.FLOAT32);
            Qwen2ModelTest.assertClose(
                    logits(bf16),
                    new NaiveQwen2(config, rounded).logits(TOKENS),
                    1e-4,
                    "bf16 checkpoint");
        }
    }

    @Test
    void checkpointsRoundTripBitForBit() throws Exception {
        Qwen2Config config = TinyQwen2.config(2, true);
        Map<String, NDArray> w = TinyQwen2.weights(config, manager, 42);
        w.remove("lm_head.weight");
        writeHf(tmp.resolve("orig-bf16"), config, w, SafetensorsDtype.BF16, 6_000);
        writeHf(tmp.resolve("orig-f32"), config, w, SafetensorsDtype.F32, 0);
        for (String[] c :
                new String[][] {{"orig-bf16", "BF16", "6000"}, {"orig-f32", "F32", "0"}}) {
            try (Qwen2Model m =
                    Qwen2Checkpoints.load(tmp.resolve(c[0]), manager, DataType.FLOAT32)) {
                Path again = tmp.resolve(c[0] + "-again");
                Qwen2Checkpoints.save(
                        m, again, SafetensorsDtype.valueOf(c[1]), Long.parseLong(c[2]));
                assertSameSafetensors(tmp.resolve(c[0]), again);
            }
        }
    }

    @Test
    void peftAdaptersRoundTripAndReproduceLogits() throws Exception {
        Qwen2Config config = TinyQwen2.config();
        writeHf(
                tmp.resolve("base"),
                config,
                TinyQwen2.weights(config, manager, 43),
                SafetensorsDtype.F32,
                0);
        LoraConfig lora =
                LoraConfig.builder()
                        .setRank(4)
                        .optAlpha(8)
                        .optAllLinear()
                        .optRankPattern("down_proj", 2)
                        .optModulesToSave(List.of("score"))
                        .optTaskType("SEQ_CLS")
                        .build();
        float[] adapted;
        float reward;
        try (Qwen2Model m = Qwen2Checkpoints.load(tmp.resolve("base"), manager, DataType.FLOAT32)) {
            LoraAdapters.create(m, "a", lora, 7);
            java.util.SplittableRandom r = new java.util.SplittableRandom(8);
            for (NDArray p : LoraAdapters.parameters(m, "a").values()) {
                float[] v = p.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextDouble() - 0.5);
                }
                p.set(v);
            }
            m.newRewardHead(9);
            adapted = logitsWith(m, "a");
            reward = rewardWith(m, "a");
            PeftAdapters.save(m, "a", lora, tmp.resolve("adapter"));
        }
        try (Qwen2Model m = Qwen2Checkpoints.load(tmp.resolve("base"), manager, DataType.FLOAT32)) {
            LoraConfig back = PeftAdapters.load(m, "cycle-3", tmp.resolve("adapter"));
            assertThat(back.rank("model.layers.0.mlp.down_proj")).isEqualTo(2);
            assertThat(logitsWith(m, "cycle-3")).containsExactly(adapted);
            assertThat(rewardWith(m, "cycle-3")).isEqualTo(reward);
            PeftAdapters.save(m, "cycle-3", back, tmp.resolve("adapter-again"));
        }
        assertThat(Files.readAllBytes(tmp.resolve("adapter-again/adapter_model.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("adapter/adapter_model.safetensors")));
        assertThat(Files.readString(tmp.resolve("adapter-again/adapter_config.json")))
                .isEqualTo(Files.readString(tmp.resolve("adapter/adapter_config.json")));
    }

    @Test
    void rejectsAdaptersThatDoNotFit() throws Exception {
        Qwen2Config config = TinyQwen2.config();
        writeHf(
                tmp.resolve("base"),
                config,
                TinyQwen2.weights(config, manager, 44),
                SafetensorsDtype.F32,
                0);
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(
                dir.resolve("adapter_config.json"),
                "{\"peft_type\":\"LORA\",\"r\":2,\"lora_alpha\":4,\"target_modules\":[\"q_proj\"]}");
        SafetensorsWriter.write(
                dir.resolve("adapter_model.safetensors"),
                Map.of(
                        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                        TensorData.ofFloats(
                                new float[2 * 5], new long[] {2, 5}, SafetensorsDtype.F32),
                        "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
                        TensorData.ofFloats(
                                new float[16 * 2], new long[] {16, 2}, SafetensorsDtype.F32)));
        try (Qwen2Model m = Qwen2Checkpoints.load(tmp.resolve("base"), manager, DataType.FLOAT32)) {
            assertThatThrownBy(() -> PeftAdapters.load(m, "x", dir))
                    .hasMessageContaining("adapter_model.safetensors")
                    .hasMessageContaining("q_proj")
                    .hasMessageContaining("(2, 5)");
        }
    }

    private float[] logitsWith(Qwen2Model m, String adapter) {
        NDArray ids =
                manager.create(java.util.Arrays.stream(TOKENS).asLongStream().toArray())
                        .reshape(1, TOKENS.length);
        return m.logits(m.forward(ids, ids.onesLike(), Optional.empty(), adapter), adapter)
                .toFloatArray();
    }

    private float rewardWith(Qwen2Model m, String adapter) {
        NDArray ids =
                manager.create(java.util.Arrays.stream(TOKENS).asLongStream().toArray())
                        .reshape(1, TOKENS.length);
        return m.reward(m.forward(ids, ids.onesLike(), Optional.empty(), adapter), ids.onesLike())
                .getFloat(0);
    }

    static void assertSameSafetensors(Path a, Path b) throws IOException {
        List<Path> fa;
        List<Path> fb;
        try (Stream<Path> s = Files.list(a)) {
            fa = s.filter(p -> p.getFileName().toString().startsWith("model")).sorted().toList();
        }
        try (Stream<Path> s = Files.list(b)) {
            fb = s.filter(p -> p.getFileName().toString().startsWith("model")).sorted().toList();
        }
        assertThat(fb.stream().map(p -> p.getFileName().toString()))
                .containsExactlyElementsOf(
                        fa.stream().map(p -> p.getFileName().toString()).toList());
        for (int i = 0; i < fa.size(); i++) {
            assertThat(Files.readAllBytes(fb.get(i)))
                    .as(fb.get(i).toString())
                    .isEqualTo(Files.readAllBytes(fa.get(i)));
        }
    }
}
