package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coea.model.safetensors.SafetensorsCheckpoint;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsWriter;
import org.coea.model.safetensors.TensorData;

/**
 * Loads and saves Qwen2 models in the HuggingFace layout: {@code config.json} plus {@code
 * model.safetensors} or shards with {@code model.safetensors.index.json}; fp32, fp16 or bf16 on
 * disk (converted in Java: bf16 never reaches the engine), any size (memory-mapped, 64-bit
 * offsets).
 */
public final class Qwen2Checkpoints {
    /** The config file name. */
    public static final String CONFIG = "config.json";

    private Qwen2Checkpoints() {}

    /**
     * Loads a model directory onto the device and in the data type that configuration selected
     * ({@code model.device}: CPU fp32 by default, GPU fp16 when present); the model owns a new
     * manager on that device.
     */
    public static Qwen2Model load(Path dir, org.coea.model.device.DeviceSelection selection) {
        NDManager manager = NDManager.newBaseManager(selection.device());
        try {
            return load(dir, manager, selection.dataType());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a model directory onto a new sub-manager of {@code manager}.
     *
     * @param target FLOAT32 (CPU) or FLOAT16 (GPU)
     */
    public static Qwen2Model load(Path dir, NDManager manager, DataType target) {
        Qwen2Config config = Qwen2Config.load(dir.resolve(CONFIG));
        NDManager owner = manager.newSubManager();
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            for (String name : ckpt.names()) {
                weights.put(name, ckpt.load(owner, name, target));
            }
        } catch (IOException e) {
            owner.close();
            throw new UncheckedIOException("cannot read the checkpoint in " + dir, e);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
        try {
            return Qwen2Model.of(config, owner, weights);
        } catch (RuntimeException e) {
            owner.close();
            throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves a model: {@code config.json} and its weights (with the reward head when present) in
     * {@code onDisk} precision, sharded when larger than {@code maxShardBytes} (0 = one file).
     */
    public static void save(
            Qwen2Model model, Path dir, SafetensorsDtype onDisk, long maxShardBytes) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CONFIG), model.config().toJson(), StandardCharsets.UTF_8);
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                tensors.put(e.getKey(), data(e.getValue(), onDisk));
            }
            Map<String, String> metadata = Map.of("format", "pt");
            if (maxShardBytes <= 0) {
                SafetensorsWriter.write(
                        dir.resolve(SafetensorsCheckpoint.SINGLE_FILE), tensors, metadata);
            } else {
                SafetensorsWriter.writeSharded(dir, tensors, maxShardBytes, metadata);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + dir, e);
        }
    }

    /** An array's data for writing in {@code onDisk} precision (from fp32, fp16 or fp64 arrays). */
    static TensorData data(NDArray array, SafetensorsDtype onDisk) {
        if (array.getDataType() == DataType.FLOAT32 || array.getDataType() == DataType.FLOAT16) {
            if ((onDisk == SafetensorsDtype.F32 && array.getDataType() == DataType.FLOAT32)
                    || (onDisk == SafetensorsDtype.F16
                            && array.getDataType() == DataType.FLOAT16)) {
                return TensorData.ofArray(array, onDisk);
            }
        }
        return TensorData.ofFloats(
                array.toType(DataType.FLOAT32, false).toFloatArray(),
                array.getShape().getShape(),
                onDisk);
    }
}
