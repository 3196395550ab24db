package org.coea.model.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One safetensors file, its header validated on open and each tensor memory-mapped on demand.
 *
 * <p>Every tensor region is mapped on its own with 64-bit file positions, so files of any size
 * work; only a single tensor over 2 GiB - 1 bytes cannot be mapped (a Java mapping is int-sized),
 * and {@link #bytes} says so. The header must describe the data buffer exactly: offsets inside the
 * file, contiguous from 0 with no overlap, gap or trailing bytes, and each tensor's byte length
 * equal to its element count times its type size; otherwise {@link #open} throws a {@link
 * SafetensorsFormatException} naming the file and the tensor. Safe for concurrent readers.
 */
public final class SafetensorsFile implements SafetensorsSource {
    private final Path path;
    private final FileChannel channel;
    private final Header header;
    private final Map<String, TensorInfo> byName;
    private final List<String> names;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, Header header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        Map<String, TensorInfo> index = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (TensorInfo tensor : header.tensors) {
            index.put(tensor.name(), tensor);
            order.add(tensor.name());
        }
        this.byName = Collections.unmodifiableMap(index);
        this.names = Collections.unmodifiableList(order);
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @throws SafetensorsFormatException if the header is malformed or disagrees with the data
     */
    public static SafetensorsFile open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new SafetensorsFile(path, channel, Header.read(path, channel));
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The file this reads. */
    public Path path() {
        return path;
    }

    /** Absolute file position of the data buffer: 8 plus the header length. */
    public long dataStart() {
        return header.dataStart;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = byName.get(name);
        if (info == null) {
            throw new IllegalArgumentException(path + ": no tensor '" + name + "'");
        }
        return info;
    }

    @Override
    public Path fileOf(String name) {
        info(name);
        return path;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata;
    }

    @Override
    public ByteBuffer bytes(String name) throws IOException {
        TensorInfo info = info(name);
        if (closed) {
            throw new IllegalStateException(path + ": closed");
        }
        long length = info.byteSize();
        if (length > Integer.MAX_VALUE) {
            throw new IOException(
                    path
                            + ": tensor '"
                            + name
                            + "' is "
                            + length
                            + " bytes; a single tensor over 2 GiB - 1 cannot be memory-mapped");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart + info.begin(), length)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + names.size() + " tensors]";
    }
}
