package org.coea.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training checkpoint on disk: the parameters, the optimizer state and the step count, saved so
 * that a resumed run continues bit for bit.
 *
 * <p>A checkpoint is a directory:
 *
 * <pre>
 * manifest.json
 * parameters/&lt;name&gt;.bin
 * optimizer/first_moment/&lt;name&gt;.bin     (only with an optimizer state)
 * optimizer/second_moment/&lt;name&gt;.bin
 * </pre>
 *
 * <p>Each {@code .bin} file holds one array's values as little-endian IEEE-754 float32 in row-major
 * order, nothing else. In file names, characters other than {@code A-Z a-z 0-9 . _ -} (and a
 * leading dot) are written as {@code %XX} per UTF-8 byte; the manifest maps names to files. The
 * manifest is JSON:
 *
 * <pre>{@code
 * {"format": "coea-train-checkpoint", "version": 1, "step": 120,
 *  "parameters": [{"name": "w", "file": "parameters/w.bin", "shape": [8, 1],
 *                  "dtype": "float32", "sha256": "<hex of the file's bytes>"}, ...],
 *  "optimizer": {"type": "adamw", "step": 120,
 *                "parameters": [{"name": "w", "step": 120,
 *                                "first_moment": {"file": ..., "shape": ..., "dtype": ..., "sha256": ...},
 *                                "second_moment": {...}}, ...]}}
 * }</pre>
 *
 * <p>{@code dtype} is the array's type when saved ({@code float32} or {@code float16}; float16
 * values are exact in float32) and the type {@link #newParameters} restores. Parameters and moments
 * keep the map order. {@link #load} checks every file's size and SHA-256.
 *
 * <p>Saving is atomic: everything is written and synced into a hidden temporary directory next to
 * the target, which is then renamed to the target; a crash leaves either no checkpoint or a
 * complete one. An existing target is never replaced: name checkpoints by step. Values pass through
 * the Java heap as {@code float[]}, so each array holds fewer than 2^31 elements.
 */
public final class Checkpoint {
    /** The manifest's file name inside a checkpoint directory. */
    public static final String MANIFEST = "manifest.json";

    static final String FORMAT = "coea-train-checkpoint";
    static final int VERSION = 1;
    private static final String PARAMETERS = "parameters";
    private static final String FIRST_MOMENT = "optimizer/first_moment";
    private static final String SECOND_MOMENT = "optimizer/second_moment";
    private static final int CHUNK_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long step;
    private final Map<String, StoredArray> parameters;
    private final AdamWState optimizer;

    private Checkpoint(long step, Map<String, StoredArray> parameters, AdamWState optimizer) {
        this.step = step;
        this.parameters = parameters;
        this.optimizer = optimizer;
    }

    /** Saves parameters only, with no optimizer state (a model to evaluate or export). */
    public static void save(Path dir, long step, Map<String, NDArray> parameters)
            throws IOException {
        write(dir, step, parameters, null);
    }

    /**
     * Saves the parameters, the optimizer state and the step count to a new directory {@code dir}.
     *
     * @param step the trainer's step count, returned by {@link #step()}
     * @throws FileAlreadyExistsException when {@code dir} exists
     * @throws IllegalArgumentException for an array that is not float32 or float16
     */
    public static void save(
            Path dir, long step, Map<String, NDArray> parameters, AdamWState optimizer)
            throws IOException {
        write(dir, step, parameters, Objects.requireNonNull(optimizer, "optimizer"));
    }

    private static void write(
            Path dir, long step, Map<String, NDArray> parameters, AdamWState optimizer)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(parameters, "parameters");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(
                    target.toString(), null, "a checkpoint is never overwritten");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temporary =
                Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        try {
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", FORMAT);
            manifest.put("version", VERSION);
            manifest.put("step", step);
            ArrayNode entries = manifest.putArray("parameters");
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                String name = Objects.requireNonNull(e.getKey(), "parameter name");
                NDArray array = Objects.requireNonNull(e.getValue(), name);
                DataType type = array.getDataType();
                ObjectNode entry =
                        writeArray(
                                temporary,
                                PARAMETERS,
                                name,
                                array.getShape().getShape(),
                                type,
                                values(name, array));
                entries.add(JSON.createObjectNode().put("name", name).setAll(entry));
            }
            if (optimizer != null) {
                ObjectNode state = manifest.putObject("optimizer");
                state.put("type", "adamw");
                state.put("step", optimizer.step());
                ArrayNode moments = state.putArray("parameters");
                for (Map.Entry<String, AdamWState.Moments> e : optimizer.moments().entrySet()) {
                    AdamWState.Moments m = e.getValue();
                    ObjectNode entry = moments.addObject();
                    entry.put("name", e.getKey());
                    entry.put("step", m.step());
                    entry.set(
                            "first_moment",
                            writeArray(
                                    temporary,
                                    FIRST_MOMENT,
                                    e.getKey(),
                                    m.shape(),
                                    DataType.FLOAT32,
                                    m.first()));
                    entry.set(
                            "second_moment",
                            writeArray(
                                    temporary,
                                    SECOND_MOMENT,
                                    e.getKey(),
                                    m.shape(),
                                    DataType.FLOAT32,
                                    m.second()));
                }
            }
            Path manifestFile = temporary.resolve(MANIFEST);
            Files.write(
                    manifestFile,
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            sync(manifestFile);
            syncDirectories(temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            sync(parent);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(temporary, e);
            throw e;
        }
    }

    private static float[] values(String name, NDArray array) {
        DataType type = array.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException(
                    "parameter "
                            + name
                            + " is "
                            + type
                            + "; checkpoints hold float32 and float16 arrays, which float32"
                            + " files keep exactly");
        }
        requireFitsJavaArray(name, array.size());
        if (type == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDManager scope = array.getManager().newSubManager()) {
            NDArray wide = array.toType(DataType.FLOAT32, true);
            wide.attach(scope);
            return wide.toFloatArray();
        }
    }

    private static ObjectNode writeArray(
            Path root, String folder, String name, long[] shape, DataType type, float[] values)
            throws IOException {
        String relative = folder + "/" + fileName(name);
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        MessageDigest sha = sha256();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int from = 0; from < values.length; ) {
                int count = Math.min(values.length - from, CHUNK_BYTES / Float.BYTES);
                chunk.clear();
                chunk.asFloatBuffer().put(values, from, count);
                chunk.limit(count * Float.BYTES);
                sha.update(chunk.array(), 0, chunk.limit());
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                from += count;
            }
            channel.force(true);
        }
        ObjectNode entry = JSON.createObjectNode();
        entry.put("file", relative);
        ArrayNode dims = entry.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        entry.put("dtype", dtypeName(type));
        entry.put("sha256", HexFormat.of().formatHex(sha.digest()));
        return entry;
    }

    /**
     * Loads and verifies a checkpoint saved by {@link #save}.
     *
     * @throws IOException when a file is missing, has the wrong size or checksum, or the manifest
     *     is not a checkpoint manifest of this version
     */
    public static Checkpoint load(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        JsonNode manifest = JSON.readTree(root.resolve(MANIFEST).toFile());
        String format = text(manifest, "format");
        long version = number(manifest, "version");
        if (!FORMAT.equals(format) || version != VERSION) {
            throw new IOException(
                    root
                            + " holds a "
                            + format
                            + " version "
                            + version
                            + " manifest, not "
                            + FORMAT
                            + " version "
                            + VERSION);
        }
        long step = number(manifest, "step");
        Map<String, StoredArray> parameters = new LinkedHashMap<>();
        for (JsonNode entry : array(manifest, "parameters")) {
            String name = text(entry, "name");
            if (parameters.put(name, readArray(root, entry)) != null) {
                throw new IOException("parameter " + name + " appears twice in " + MANIFEST);
            }
        }
        AdamWState optimizer = null;
        JsonNode state = manifest.get("optimizer");
        if (state != null && !state.isNull()) {
            if (!"adamw".equals(text(state, "type"))) {
                throw new IOException(
                        "unknown optimizer type " + text(state, "type") + " in " + MANIFEST);
            }
            Map<String, AdamWState.Moments> moments = new LinkedHashMap<>();
            for (JsonNode entry : array(state, "parameters")) {
                String name = text(entry, "name");
                StoredArray first = readArray(root, field(entry, "first_moment"));
                StoredArray second = readArray(root, field(entry, "second_moment"));
                if (!Arrays.equals(first.shape, second.shape)) {
                    throw new IOException("the moments of " + name + " differ in shape");
                }
                moments.put(
                        name,
                        new AdamWState.Moments(
                                number(entry, "step"), first.shape, first.values, second.values));
            }
            optimizer = new AdamWState(number(state, "step"), moments);
        }
        return new Checkpoint(step, Collections.unmodifiableMap(parameters), optimizer);
    }

    private static StoredArray readArray(Path root, JsonNode entry) throws IOException {
        String relative = text(entry, "file");
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            throw new IOException("manifest file " + relative + " lies outside " + root);
        }
        List<Long> dims = new ArrayList<>();
        for (JsonNode d : array(entry, "shape")) {
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw new IOException("bad dimension " + d + " in the shape of " + relative);
            }
            dims.add(d.asLong());
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        DataType type = dtype(text(entry, "dtype"), relative);
        long size = AdamWState.size(shape);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(relative + " holds more values than a Java array can");
        }
        long bytes = Files.size(file);
        if (bytes != size * Float.BYTES) {
            throw new IOException(
                    relative
                            + " has "
                            + bytes
                            + " bytes, but shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + size * Float.BYTES);
        }
        float[] values = new float[(int) size];
        MessageDigest sha = sha256();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int from = 0; from < values.length; ) {
                int count = Math.min(values.length - from, CHUNK_BYTES / Float.BYTES);
                chunk.clear();
                chunk.limit(count * Float.BYTES);
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk) < 0) {
                        throw new IOException(relative + " ended early");
                    }
                }
                sha.update(chunk.array(), 0, chunk.limit());
                chunk.flip();
                chunk.asFloatBuffer().get(values, from, count);
                from += count;
            }
        }
        String expected = text(entry, "sha256");
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException(
                    relative + " fails its checksum: sha256 " + actual + ", manifest " + expected);
        }
        return new StoredArray(shape, type, values);
    }

    /** The step count saved with the checkpoint. */
    public long step() {
        return step;
    }

    /** The parameter names, in the order they were saved. */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /** The saved shape of a parameter. */
    public Shape shape(String name) {
        return new Shape(stored(name).shape);
    }

    /** The saved data type of a parameter. */
    public DataType dataType(String name) {
        return stored(name).type;
    }

    /** The optimizer state, when one was saved. */
    public Optional<AdamWState> optimizerState() {
        return Optional.ofNullable(optimizer);
    }

    /**
     * Fresh trainable parameters with the saved values, shapes and types, in the saved order, on
     * the manager's device and attached to it, each with {@code setRequiresGradient(true)}.
     */
    public Map<String, NDArray> newParameters(NDManager manager) {
        Objects.requireNonNull(manager, "manager");
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        parameters.forEach(
                (name, stored) -> {
                    // The created array keeps its Java buffer alive; a same-type "copy" by
                    // toType may be a view of that buffer, which would dangle once it is freed.
                    NDArray created = manager.create(stored.values, new Shape(stored.shape));
                    NDArray array = created;
                    if (created.getDataType() != stored.type) {
                        array = created.toType(stored.type, true);
                        created.close();
                    }
                    array.setName(name);
                    array.setRequiresGradient(true);
                    arrays.put(name, array);
                });
        return arrays;
    }

    /**
     * Copies the saved values into existing arrays in place (converted to each array's type), so
     * that a model's own parameters resume; gradients and requires-gradient flags stay as they are.
     *
     * @throws IllegalArgumentException unless {@code params} has exactly the saved names and shapes
     * @throws IllegalStateException while a {@code GradientCollector} is recording
     */
    public void restoreInto(Map<String, NDArray> params) {
        Objects.requireNonNull(params, "params");
        if (!params.keySet().equals(parameters.keySet())) {
            throw new IllegalArgumentException(
                    "the checkpoint holds parameters "
                            + parameters.keySet()
                            + ", but the arrays to restore are "
                            + params.keySet());
        }
        if (JniUtils.isGradMode()) {
            throw new IllegalStateException(
                    "restoreInto changes parameters in place: call it outside a"
                            + " GradientCollector");
        }
        params.forEach(
                (name, param) -> {
                    StoredArray stored = parameters.get(name);
                    if (!Arrays.equals(stored.shape, param.getShape().getShape())) {
                        throw new IllegalArgumentException(
                                "parameter "
                                        + name
                                        + " has shape "
                                        + param.getShape()
                                        + ", the checkpoint "
                                        + new Shape(stored.shape));
                    }
                });
        params.forEach(
                (name, param) -> {
                    StoredArray stored = parameters.get(name);
                    try (NDManager scope = param.getManager().newSubManager()) {
                        NDArray values =
                                scope.create(stored.values, new Shape(stored.shape))
                                        .toType(param.getDataType(), false);
                        param.set(new NDIndex("..."), values);
                    }
                });
    }

    private StoredArray stored(String name) {
        StoredArray stored = parameters.get(name);
        if (stored == null) {
            throw new IllegalArgumentException(
                    "no parameter " + name + " in the checkpoint; it holds " + parameters.keySet());
        }
        return stored;
    }

    /**
     * The file name of an array: the name with unsafe characters percent-encoded, plus {@code
     * .bin}.
     */
    static String fileName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("parameter names must not be empty");
        }
        StringBuilder out = new StringBuilder();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean safe =
                    (b >= 'a' && b <= 'z')
                            || (b >= 'A' && b <= 'Z')
                            || (b >= '0' && b <= '9')
                            || b == '_'
                            || b == '-'
                            || (b == '.' && i > 0);
            if (safe) {
                out.append((char) b);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) b));
            }
        }
        return out.append(".bin").toString();
    }

    private static String dtypeName(DataType type) {
        return type == DataType.FLOAT16 ? "float16" : "float32";
    }

    private static DataType dtype(String name, String file) throws IOException {
        return switch (name) {
            case "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            default -> throw new IOException("unsupported dtype " + name + " for " + file);
        };
    }

    private static void requireFitsJavaArray(String name, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "parameter " + name + " has " + size + " elements, more than a Java array");
        }
    }

    private static JsonNode field(JsonNode node, String name) throws IOException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IOException("malformed " + MANIFEST + ": no field " + name + " in " + node);
        }
        return value;
    }

    private static String text(JsonNode node, String name) throws IOException {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw new IOException("malformed " + MANIFEST + ": " + name + " is not a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String name) throws IOException {
        JsonNode value = field(node, name);
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new IOException(
                    "malformed " + MANIFEST + ": " + name + " is not a non-negative integer");
        }
        return value.asLong();
    }

    private static JsonNode array(JsonNode node, String name) throws IOException {
        JsonNode value = field(node, name);
        if (!value.isArray()) {
            throw new IOException("malformed " + MANIFEST + ": " + name + " is not an array");
        }
        return value;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Syncs every directory under {@code root}, so that the rename publishes complete entries. */
    private static void syncDirectories(Path root) throws IOException {
        List<Path> directories;
        try (Stream<Path> walk = Files.walk(root)) {
            directories = walk.filter(Files::isDirectory).toList();
        }
        for (Path directory : directories) {
            sync(directory);
        }
    }

    private static void deleteRecursively(Path root, Exception cause) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            cause.addSuppressed(e);
        }
    }

    /** One array as stored: its shape, the type it had, and its values widened to float32. */
    private record StoredArray(long[] shape, DataType type, float[] values) {}
}
