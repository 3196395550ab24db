package org.coea.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.coea.model.nd.Layers;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsFile;
import org.coea.model.safetensors.SafetensorsWriter;

/** Weight handling shared by the baselines: initialisation, input packing, save and load. */
final class Weights {
    /** The weights file of a saved baseline. */
    static final String FILE = "model.safetensors";

    private Weights() {}

    /** Xavier-normal {@code [rows, cols]}; row 0 zero when {@code zeroFirstRow} (padding). */
    static NDArray xavier(
            NDManager manager, SplittableRandom random, int rows, int cols, boolean zeroFirstRow) {
        return Layers.xavierNormal(manager, random, rows, cols, zeroFirstRow);
    }

    /** Rows of {@code table} for int64 {@code ids}. */
    static NDArray embed(NDArray ids, NDArray table) {
        return Layers.embed(ids, table);
    }

    /** Inverted dropout while training; the identity otherwise. */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        return Layers.dropout(x, rate, training);
    }

    /**
     * The last {@code maxLength} items of each sequence, left-padded with 0 to the longest kept
     * length of the batch (at least 1), int64 {@code [B, T]}.
     */
    static NDArray pack(NDManager m, List<int[]> sequences, int maxLength, int numItems) {
        int t = 1;
        for (int[] s : sequences) {
            t = Math.max(t, Math.min(s.length, maxLength));
        }
        long[] out = new long[sequences.size() * t];
        for (int row = 0; row < sequences.size(); row++) {
            int[] s = sequences.get(row);
            int kept = Math.min(s.length, t);
            for (int j = 0; j < kept; j++) {
                int item = s[s.length - kept + j];
                if (item < 1 || item > numItems) {
                    throw new IllegalArgumentException(
                            "item id " + item + " outside 1.." + numItems);
                }
                out[row * t + t - kept + j] = item;
            }
        }
        return m.create(out, new Shape(sequences.size(), t));
    }

    /** Writes the weights (float32) and the config into {@code dir}. */
    static void save(Path dir, Map<String, NDArray> weights, BaselineConfig config) {
        try {
            Files.createDirectories(dir);
            SafetensorsWriter.writeArrays(
                    dir.resolve(FILE),
                    weights,
                    SafetensorsDtype.F32,
                    Map.of("format", "pt", "model_type", config.model()));
            config.save(dir.resolve(BaselineConfig.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot save the " + config.model() + " model to " + dir, e);
        }
    }

    /** Reads the weights of a saved baseline onto {@code manager}. */
    static Map<String, NDArray> load(Path dir, NDManager manager) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(FILE))) {
            for (String name : file.names()) {
                weights.put(name, file.load(manager, name, DataType.FLOAT32));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the weights in " + dir, e);
        }
        return weights;
    }

    /** Takes a weight of the given shape out of {@code weights}, attached to {@code manager}. */
    static NDArray take(
            Map<String, NDArray> weights, String name, NDManager manager, long... shape) {
        NDArray a = weights.remove(name);
        if (a == null) {
            throw new IllegalArgumentException("missing weight " + name);
        }
        if (!a.getShape().equals(new Shape(shape)) || a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "weight "
                            + name
                            + " is "
                            + a.getDataType()
                            + " "
                            + a.getShape()
                            + ", expected float32 "
                            + new Shape(shape));
        }
        a.attach(manager);
        return a;
    }
}
