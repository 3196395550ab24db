package org.coea.model.safetensors;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes safetensors files the way the HuggingFace reference does: header padded with spaces to a
 * multiple of 8 bytes, tensors in the caller's map order, each file written atomically (a temporary
 * file in the same directory, then a rename).
 */
public final class SafetensorsWriter {
    private static final String SHARD_NAME = "model-%05d-of-%05d.safetensors";

    private SafetensorsWriter() {}

    /** Writes {@code tensors} (in iteration order) to {@code file} without metadata. */
    public static void write(Path file, Map<String, TensorData> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors}, in the map's iteration order, and {@code metadata} (as {@code
     * __metadata__}, omitted when empty) to {@code file}, replacing it atomically.
     *
     * @throws IllegalArgumentException if a name is empty or {@code __metadata__}
     */
    public static void write(
            Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        checkNames(tensors);
        Map<String, String> meta = copyMetadata(metadata);
        List<TensorInfo> layout = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Map.Entry<String, TensorData> entry : tensors.entrySet()) {
            TensorData data = entry.getValue();
            long end = Math.addExact(offset, data.byteSize());
            layout.add(new TensorInfo(entry.getKey(), data.dtype(), data.shape(), offset, end));
            offset = end;
        }
        byte[] header = Header.encode(layout, meta);
        atomically(
                file,
                channel -> {
                    ByteBuffer prefix =
                            ByteBuffer.allocate(Header.PREFIX_BYTES)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .putLong(0, header.length);
                    TensorData.writeFully(channel, prefix);
                    TensorData.writeFully(channel, ByteBuffer.wrap(header));
                    for (TensorData data : tensors.values()) {
                        data.writeTo(channel);
                    }
                });
    }

    /**
     * Writes arrays (FLOAT32 or FLOAT16, any device) as {@code onDisk} (F32, F16, BF16 or F64), so
     * model code can save its weights; see {@link TensorData#ofArray}.
     */
    public static void writeArrays(
            Path file,
            Map<String, NDArray> arrays,
            SafetensorsDtype onDisk,
            Map<String, String> metadata)
            throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
            tensors.put(entry.getKey(), TensorData.ofArray(entry.getValue(), onDisk));
        }
        write(file, tensors, metadata);
    }

    /**
     * Writes {@code tensors} as HuggingFace shards {@code model-0000i-of-0000n.safetensors} in
     * {@code dir}, each up to {@code maxShardBytes} of tensor data (a larger tensor gets a shard of
     * its own), then {@code model.safetensors.index.json} with {@code metadata} plus {@code
     * total_size} (overriding any given one) and the {@code weight_map}. The metadata also goes
     * into every shard's header. Shards are filled greedily in map order; the index is written
     * last, so it only ever names complete shards. Files of an earlier write that this one does not
     * replace are left alone.
     *
     * @return the shard files, in order
     */
    public static List<Path> writeSharded(
            Path dir,
            Map<String, TensorData> tensors,
            long maxShardBytes,
            Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive: " + maxShardBytes);
        }
        checkNames(tensors);
        Map<String, String> meta = copyMetadata(metadata);
        List<Map<String, TensorData>> shards = new ArrayList<>();
        Map<String, TensorData> current = new LinkedHashMap<>();
        long currentBytes = 0;
        long totalSize = 0;
        for (Map.Entry<String, TensorData> entry : tensors.entrySet()) {
            long size = entry.getValue().byteSize();
            if (!current.isEmpty() && currentBytes + size > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(entry.getKey(), entry.getValue());
            currentBytes += size;
            totalSize += size;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Map<String, String> weightMap = new TreeMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format(SHARD_NAME, i + 1, shards.size());
            Path file = dir.resolve(name);
            write(file, shards.get(i), meta);
            files.add(file);
            for (String tensor : shards.get(i).keySet()) {
                weightMap.put(tensor, name);
            }
        }
        ObjectNode index = Header.JSON.createObjectNode();
        ObjectNode indexMeta = index.putObject("metadata");
        meta.forEach(indexMeta::put);
        indexMeta.put("total_size", totalSize);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        byte[] json = Header.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index);
        atomically(
                dir.resolve(SafetensorsCheckpoint.INDEX_FILE),
                channel -> {
                    TensorData.writeFully(channel, ByteBuffer.wrap(json));
                    TensorData.writeFully(channel, ByteBuffer.wrap(new byte[] {'\n'}));
                });
        return List.copyOf(files);
    }

    private static void checkNames(Map<String, TensorData> tensors) {
        Objects.requireNonNull(tensors, "tensors");
        for (Map.Entry<String, TensorData> entry : tensors.entrySet()) {
            String name = Objects.requireNonNull(entry.getKey(), "tensor name");
            if (name.isEmpty() || name.equals(Header.METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            Objects.requireNonNull(entry.getValue(), () -> "tensor '" + name + "'");
        }
    }

    private static Map<String, String> copyMetadata(Map<String, String> metadata) {
        Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(metadata, "metadata")
                .forEach(
                        (key, value) ->
                                copy.put(
                                        Objects.requireNonNull(key, "metadata key"),
                                        Objects.requireNonNull(value, () -> "metadata " + key)));
        return copy;
    }

    private interface ChannelWork {
        void run(FileChannel channel) throws IOException;
    }

    private static void atomically(Path target, ChannelWork work) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        // CREATE_NEW rather than createTempFile, so the file gets the usual umask permissions
        // instead of owner-only ones
        Path temp = parent.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel =
                    FileChannel.open(
                            temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                work.run(channel);
                channel.force(true);
            }
            try {
                Files.move(
                        temp,
                        absolute,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
