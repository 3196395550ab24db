package org.coea.model.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-built safetensors bytes: every byte spelled out here, none produced by the writer. */
final class SafetensorsFixtures {
    /**
     * Header of the golden file, in a different order from the data (the reader lists names by
     * offset), with trailing spaces as the reference writer pads.
     */
    static final String GOLDEN_HEADER =
            "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"caf\u00e9\"},"
                    + "\"i\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[26,34]},"
                    + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                    + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
                    + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[22,26]},"
                    + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[34,34]}}   ";

    /** w = [[1.5, -2], [0.25, 1e10]], h = [1, -2.5, 65504], b = [1, -2.5], i = -7, e empty. */
    static byte[] goldenData() {
        return concat(
                floats(1.5f, -2f, 0.25f, 1e10f),
                shorts(0x3C00, 0xC100, 0x7BFF),
                shorts(0x3F80, 0xC020),
                longs(-7L));
    }

    static byte[] golden() {
        return file(GOLDEN_HEADER, goldenData());
    }

    private SafetensorsFixtures() {}

    /** The u64 little-endian length of the UTF-8 header, the header, then the data. */
    static byte[] file(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return concat(longs(header.length), header, data);
    }

    static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }

    static byte[] longs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    /** The remaining bytes of a buffer, without moving it. */
    static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
