package org.coea.model.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads, validates and writes the length-prefixed JSON header of a safetensors file. */
final class Header {
    /** Bytes of the little-endian u64 header length that starts every file. */
    static final int PREFIX_BYTES = 8;

    /** The largest header accepted, as in the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    /** The tensors in data order (by {@code data_offsets}, ties in header order). */
    final List<TensorInfo> tensors;

    final Map<String, String> metadata;

    /** Absolute file position of the data buffer: 8 + header length. */
    final long dataStart;

    private Header(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
        this.tensors = List.copyOf(tensors);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.dataStart = dataStart;
    }

    /** Reads and validates the header of {@code file}, open as {@code channel}. */
    static Header read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < PREFIX_BYTES) {
            throw new SafetensorsFormatException(
                    file,
                    "file is "
                            + size
                            + " bytes, shorter than the 8-byte header length (truncated?)");
        }
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, 0);
        long headerLength = prefix.getLong(0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(
                    file,
                    "header length "
                            + Long.toUnsignedString(headerLength)
                            + " is over the "
                            + MAX_HEADER_BYTES
                            + "-byte limit (not a safetensors file?)");
        }
        if (headerLength > size - PREFIX_BYTES) {
            throw new SafetensorsFormatException(
                    file,
                    "header length "
                            + headerLength
                            + " runs past the end of the file ("
                            + (size - PREFIX_BYTES)
                            + " bytes after the length; truncated?)");
        }
        ByteBuffer json = ByteBuffer.allocate((int) headerLength);
        readFully(channel, json, PREFIX_BYTES);
        long dataStart = PREFIX_BYTES + headerLength;
        return parse(file, json.array(), size - dataStart, dataStart);
    }

    /** Parses and validates header JSON for a data buffer of {@code dataLength} bytes. */
    static Header parse(Path file, byte[] json, long dataLength, long dataStart)
            throws SafetensorsFormatException {
        JsonNode root = parseJson(file, json);
        if (!root.isObject()) {
            throw new SafetensorsFormatException(
                    file, "header is JSON " + root.getNodeType() + ", not an object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (METADATA_KEY.equals(field.getKey())) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                tensors.add(readTensor(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        List<TensorInfo> ordered = new ArrayList<>(tensors);
        // stable: zero-length tensors at one offset keep their header order
        ordered.sort(
                Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo tensor : ordered) {
            if (tensor.begin() < expected) {
                throw new SafetensorsFormatException(
                        file,
                        tensor.name(),
                        "data_offsets ["
                                + tensor.begin()
                                + ", "
                                + tensor.end()
                                + "] overlap tensor '"
                                + previous.name()
                                + "' ["
                                + previous.begin()
                                + ", "
                                + previous.end()
                                + "]");
            }
            if (tensor.begin() > expected) {
                throw new SafetensorsFormatException(
                        file,
                        tensor.name(),
                        "data_offsets ["
                                + tensor.begin()
                                + ", "
                                + tensor.end()
                                + "] leave a gap: the previous tensor ends at "
                                + expected
                                + " (tensors must be contiguous)");
            }
            expected = tensor.end();
            previous = tensor;
        }
        if (expected != dataLength) {
            String detail =
                    "the data buffer has "
                            + dataLength
                            + " bytes but the tensors cover "
                            + expected
                            + " (trailing bytes after the last tensor)";
            throw previous == null
                    ? new SafetensorsFormatException(file, detail)
                    : new SafetensorsFormatException(file, previous.name(), detail);
        }
        return new Header(ordered, metadata, dataStart);
    }

    private static JsonNode parseJson(Path file, byte[] json) throws SafetensorsFormatException {
        String text;
        try {
            CharBuffer chars =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(json));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file, "header is not valid UTF-8: " + e);
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(
                    file, "header is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out)
            throws SafetensorsFormatException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new SafetensorsFormatException(
                    file, METADATA_KEY + " is " + node.getNodeType() + ", not an object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new SafetensorsFormatException(
                        file,
                        METADATA_KEY
                                + " value of '"
                                + entry.getKey()
                                + "' is "
                                + entry.getValue().getNodeType()
                                + ", not a string");
            }
            out.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static TensorInfo readTensor(Path file, String name, JsonNode node, long dataLength)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(
                    file, name, "entry is " + node.getNodeType() + ", not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(file, name, "missing or non-string \"dtype\"");
        }
        SafetensorsDtype dtype =
                SafetensorsDtype.parse(dtypeNode.textValue())
                        .orElseThrow(
                                () ->
                                        new SafetensorsFormatException(
                                                file,
                                                name,
                                                "unknown dtype '"
                                                        + dtypeNode.textValue()
                                                        + "' (known: "
                                                        + Arrays.toString(SafetensorsDtype.values())
                                                        + ")"));
        long[] shape = readLongs(file, name, node, "shape", -1);
        long[] offsets = readLongs(file, name, node, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new SafetensorsFormatException(
                    file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataLength) {
            throw new SafetensorsFormatException(
                    file,
                    name,
                    "data_offsets ["
                            + begin
                            + ", "
                            + end
                            + "] run past the "
                            + dataLength
                            + "-byte data buffer (truncated file?)");
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(
                    file, name, "shape " + Arrays.toString(shape) + " overflows 64 bits");
        }
        if (end - begin != expectedBytes) {
            throw new SafetensorsFormatException(
                    file,
                    name,
                    "data_offsets ["
                            + begin
                            + ", "
                            + end
                            + "] hold "
                            + (end - begin)
                            + " bytes but shape "
                            + Arrays.toString(shape)
                            + " of "
                            + dtype
                            + " needs "
                            + expectedBytes);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] readLongs(
            Path file, String name, JsonNode entry, String key, int requiredLength)
            throws SafetensorsFormatException {
        JsonNode node = entry.get(key);
        if (node == null || !node.isArray()) {
            throw new SafetensorsFormatException(
                    file, name, "missing or non-array \"" + key + "\"");
        }
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new SafetensorsFormatException(
                    file,
                    name,
                    "\"" + key + "\" has " + node.size() + " entries, not " + requiredLength);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new SafetensorsFormatException(
                        file, name, "\"" + key + "\" holds " + value + ", not a u64 below 2^63");
            }
            values[i] = value.longValue();
        }
        return values;
    }

    /**
     * The header bytes for tensors laid out in the given order, padded with spaces to a multiple of
     * 8 bytes as the reference writer does; metadata first when there is any.
     */
    static byte[] encode(List<TensorInfo> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        for (TensorInfo tensor : tensors) {
            ObjectNode entry = root.putObject(tensor.name());
            entry.put("dtype", tensor.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            entry.putArray("data_offsets").add(tensor.begin()).add(tensor.end());
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException("unexpected end of file at byte " + at);
            }
            at += read;
        }
    }
}
