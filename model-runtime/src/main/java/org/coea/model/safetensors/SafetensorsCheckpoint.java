package org.coea.model.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A HuggingFace checkpoint in safetensors form, one file or shards listed in an index, read through
 * one set of accessors.
 *
 * <p>{@link #open} takes a {@code .safetensors} file, a {@code model.safetensors.index.json}, or a
 * directory holding {@code model.safetensors}, {@code model.safetensors.index.json} (sharded; its
 * {@code weight_map} maps each tensor name to a shard file), or exactly one other {@code
 * *.safetensors} file such as {@code adapter_model.safetensors}. The index and its shards must
 * agree: every indexed tensor is in its shard, and every shard tensor is indexed.
 */
public final class SafetensorsCheckpoint implements SafetensorsSource {
    /** File name of a single-file checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";

    /** File name of the index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final String SUFFIX = ".safetensors";

    private final Path path;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owners;
    private final List<String> names;
    private final Map<String, String> metadata;
    private final boolean sharded;

    private SafetensorsCheckpoint(
            Path path,
            boolean sharded,
            List<SafetensorsFile> files,
            Map<String, SafetensorsFile> owners,
            List<String> names,
            Map<String, String> metadata) {
        this.path = path;
        this.sharded = sharded;
        this.files = List.copyOf(files);
        this.owners = Collections.unmodifiableMap(owners);
        this.names = Collections.unmodifiableList(names);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens a checkpoint file or directory (see the class comment for what it accepts).
     *
     * @throws SafetensorsFormatException if a file or the index is malformed, or they disagree
     * @throws NoSuchFileException if the path or a shard does not exist
     * @throws IOException if a directory holds no or several candidate files
     */
    public static SafetensorsCheckpoint open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        if (Files.isDirectory(path)) {
            return openDirectory(path);
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (path.getFileName().toString().endsWith(".json")) {
            return openIndex(path);
        }
        return single(path);
    }

    private static SafetensorsCheckpoint openDirectory(Path dir) throws IOException {
        Path single = dir.resolve(SINGLE_FILE);
        Path index = dir.resolve(INDEX_FILE);
        boolean hasSingle = Files.isRegularFile(single);
        boolean hasIndex = Files.isRegularFile(index);
        if (hasSingle && hasIndex) {
            throw new IOException(
                    dir
                            + ": holds both "
                            + SINGLE_FILE
                            + " and "
                            + INDEX_FILE
                            + "; remove the stale one");
        }
        if (hasIndex) {
            return openIndex(index);
        }
        if (hasSingle) {
            return single(single);
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    candidates.add(entry);
                }
            }
        }
        Collections.sort(candidates);
        if (candidates.size() != 1) {
            throw new IOException(
                    dir
                            + ": no "
                            + SINGLE_FILE
                            + " or "
                            + INDEX_FILE
                            + ", and "
                            + candidates.size()
                            + " *"
                            + SUFFIX
                            + " files instead of exactly one"
                            + (candidates.isEmpty() ? "" : ": " + candidates));
        }
        return single(candidates.get(0));
    }

    private static SafetensorsCheckpoint single(Path file) throws IOException {
        SafetensorsFile opened = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> owners = new HashMap<>();
        for (String name : opened.names()) {
            owners.put(name, opened);
        }
        return new SafetensorsCheckpoint(
                file, false, List.of(opened), owners, opened.names(), opened.metadata());
    }

    private static SafetensorsCheckpoint openIndex(Path index) throws IOException {
        JsonNode root;
        try {
            root = Header.JSON.readTree(index.toFile());
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(
                    index, "index is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(index, "index is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new SafetensorsFormatException(index, "\"metadata\" is not an object");
            }
            for (Map.Entry<String, JsonNode> entry : meta.properties()) {
                JsonNode value = entry.getValue();
                metadata.put(
                        entry.getKey(), value.isValueNode() ? value.asText() : value.toString());
            }
        }
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsFormatException(index, "missing or non-object \"weight_map\"");
        }
        Path dir = index.toAbsolutePath().getParent();
        // shard file -> tensor names the index puts there, shards in file-name order
        Map<String, List<String>> byShard = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            JsonNode shard = entry.getValue();
            if (!shard.isTextual()) {
                throw new SafetensorsFormatException(
                        index, entry.getKey(), "weight_map value is not a file name: " + shard);
            }
            byShard.computeIfAbsent(shard.textValue(), k -> new ArrayList<>()).add(entry.getKey());
        }
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> owners = new HashMap<>();
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, List<String>> shard : byShard.entrySet()) {
                Path file = dir.resolve(shard.getKey()).normalize();
                if (!file.startsWith(dir) || file.equals(dir)) {
                    throw new SafetensorsFormatException(
                            index,
                            shard.getValue().get(0),
                            "shard '" + shard.getKey() + "' lies outside " + dir);
                }
                if (!Files.isRegularFile(file)) {
                    throw new SafetensorsFormatException(
                            index,
                            shard.getValue().get(0),
                            "shard '" + shard.getKey() + "' does not exist");
                }
                SafetensorsFile opened = SafetensorsFile.open(file);
                files.add(opened);
                for (String name : shard.getValue()) {
                    if (!opened.contains(name)) {
                        throw new SafetensorsFormatException(
                                index,
                                name,
                                "indexed in shard '" + shard.getKey() + "', which lacks it");
                    }
                }
                if (opened.names().size() != shard.getValue().size()) {
                    List<String> extra = new ArrayList<>(opened.names());
                    extra.removeAll(shard.getValue());
                    throw new SafetensorsFormatException(
                            file,
                            extra.get(0),
                            "in the shard but not in "
                                    + index.getFileName()
                                    + " (or indexed under another shard)");
                }
                for (String name : opened.names()) {
                    owners.put(name, opened);
                    names.add(name);
                }
            }
            return new SafetensorsCheckpoint(index, true, files, owners, names, metadata);
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile file : files) {
                try {
                    file.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The single file or the index this reads. */
    public Path path() {
        return path;
    }

    /** Whether this reads shards listed in an index. */
    public boolean isSharded() {
        return sharded;
    }

    /** The files this reads, in shard order. */
    public List<SafetensorsFile> files() {
        return files;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return owners.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return owner(name).info(name);
    }

    @Override
    public Path fileOf(String name) {
        return owner(name).path();
    }

    /** The single file's {@code __metadata__}, or the index's {@code metadata} as strings. */
    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public ByteBuffer bytes(String name) throws IOException {
        return owner(name).bytes(name);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (SafetensorsFile file : files) {
            try {
                file.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private SafetensorsFile owner(String name) {
        SafetensorsFile file = owners.get(name);
        if (file == null) {
            throw new IllegalArgumentException(path + ": no tensor '" + name + "'");
        }
        return file;
    }

    @Override
    public String toString() {
        return "SafetensorsCheckpoint[" + path + ", " + files.size() + " files]";
    }
}
