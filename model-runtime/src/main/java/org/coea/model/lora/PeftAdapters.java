package org.coea.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsFile;
import org.coea.model.safetensors.SafetensorsWriter;
import org.coea.model.safetensors.TensorData;

/**
 * Reads and writes LoRA adapters in HuggingFace PEFT's layout: {@code adapter_config.json} and
 * {@code adapter_model.safetensors} with keys {@code base_model.model.<module>.lora_A.weight} /
 * {@code lora_B.weight}. A reward head ({@code modules_to_save: ["score"]}) is stored as {@code
 * base_model.model.score.weight} in the same file.
 */
public final class PeftAdapters {
    /** The config file name. */
    public static final String CONFIG = "adapter_config.json";

    /** The weights file name. */
    public static final String WEIGHTS = "adapter_model.safetensors";

    /** The key of a saved reward head. */
    public static final String SCORE_KEY = LoraAdapters.PEFT_PREFIX + "score.weight";

    private PeftAdapters() {}

    /**
     * Loads an adapter directory under a name; also sets the reward head when the file holds one.
     *
     * @throws IllegalArgumentException naming the file and key for a module the model lacks, a
     *     missing half, or shapes that do not fit
     */
    public static LoraConfig load(Qwen2Model model, String adapter, Path dir) {
        Path configFile = dir.resolve(CONFIG);
        Path weightsFile = dir.resolve(WEIGHTS);
        try {
            LoraConfig config =
                    LoraConfig.parse(
                            Files.readString(configFile, StandardCharsets.UTF_8),
                            configFile.toString());
            DataType type =
                    model.dataType() == DataType.FLOAT16 ? DataType.FLOAT16 : DataType.FLOAT32;
            Map<String, LoraLinearBlock> layers = model.linearLayers();
            Map<String, NDArray[]> pairs = new LinkedHashMap<>();
            try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
                for (String key : file.names()) {
                    if (key.equals(SCORE_KEY)) {
                        model.setRewardHead(file.load(model.manager(), key, type));
                        continue;
                    }
                    String module = moduleOf(key, weightsFile);
                    if (!layers.containsKey(module)) {
                        throw new IllegalArgumentException(
                                weightsFile + ": " + key + " names no linear layer of this model");
                    }
                    int half = key.endsWith(".lora_A.weight") ? 0 : 1;
                    pairs.computeIfAbsent(module, m -> new NDArray[2])[half] =
                            file.load(model.manager(), key, type);
                }
            }
            for (Map.Entry<String, NDArray[]> e : pairs.entrySet()) {
                NDArray[] ab = e.getValue();
                LoraLinearBlock layer = layers.get(e.getKey());
                if (ab[0] == null || ab[1] == null) {
                    throw new IllegalArgumentException(
                            weightsFile
                                    + ": "
                                    + e.getKey()
                                    + " lacks lora_"
                                    + (ab[0] == null ? "A" : "B"));
                }
                long r = ab[0].getShape().get(0);
                if (ab[0].getShape().get(1) != layer.inFeatures()
                        || ab[1].getShape().get(0) != layer.outFeatures()
                        || ab[1].getShape().get(1) != r) {
                    throw new IllegalArgumentException(
                            weightsFile
                                    + ": "
                                    + e.getKey()
                                    + " has lora_A "
                                    + ab[0].getShape()
                                    + " and lora_B "
                                    + ab[1].getShape()
                                    + " for a "
                                    + layer.outFeatures()
                                    + "x"
                                    + layer.inFeatures()
                                    + " layer");
                }
                if (r != config.rank(e.getKey())) {
                    throw new IllegalArgumentException(
                            weightsFile
                                    + ": "
                                    + e.getKey()
                                    + " has rank "
                                    + r
                                    + " but the config says "
                                    + config.rank(e.getKey()));
                }
                layer.putAdapter(
                        adapter, new LoraWeights(ab[0], ab[1], config.scaling(e.getKey())));
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the adapter in " + dir, e);
        }
    }

    /**
     * Saves an adapter (fp32 on disk) with its config; with the reward head when the config keeps
     * {@code score}.
     */
    public static void save(Qwen2Model model, String adapter, LoraConfig config, Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e :
                    LoraAdapters.parameters(model, adapter).entrySet()) {
                tensors.put(
                        e.getKey(),
                        TensorData.ofFloats(
                                e.getValue().toType(DataType.FLOAT32, false).toFloatArray(),
                                e.getValue().getShape().getShape(),
                                SafetensorsDtype.F32));
            }
            if (config.modulesToSave().contains("score")) {
                NDArray score =
                        model.rewardHead()
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "the config saves score, but the model has no reward head"));
                tensors.put(
                        SCORE_KEY,
                        TensorData.ofFloats(
                                score.toType(DataType.FLOAT32, false).toFloatArray(),
                                score.getShape().getShape(),
                                SafetensorsDtype.F32));
            }
            SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
            Path tmp = Files.createTempFile(dir, ".adapter_config", ".json");
            Files.writeString(tmp, config.toJson(), StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    dir.resolve(CONFIG),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save adapter " + adapter + " to " + dir, e);
        }
    }

    private static String moduleOf(String key, Path file) {
        if (!key.startsWith(LoraAdapters.PEFT_PREFIX)
                || !(key.endsWith(".lora_A.weight") || key.endsWith(".lora_B.weight"))) {
            throw new IllegalArgumentException(
                    file
                            + ": unexpected adapter key "
                            + key
                            + " (expected base_model.model.<module>.lora_A.weight / lora_B.weight)");
        }
        return key.substring(
                LoraAdapters.PEFT_PREFIX.length(), key.length() - ".lora_A.weight".length());
    }
}
