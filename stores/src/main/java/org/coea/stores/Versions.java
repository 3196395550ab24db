package org.coea.stores;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the store implementations: version checks and their byte forms. */
public final class Versions {
    /** Smallest number of committed versions a store keeps (the current one and one before). */
    public static final int MIN_RETAINED = 2;

    /** Refuses a retained-versions setting below {@link #MIN_RETAINED}. */
    public static void checkRetained(int retainVersions) {
        if (retainVersions < MIN_RETAINED) {
            throw new IllegalArgumentException(
                    "retain versions must be >= " + MIN_RETAINED + ", got " + retainVersions);
        }
    }

    private Versions() {}

    /**
     * Checks that {@code version} may start a new cycle after {@code current}.
     *
     * @throws IllegalArgumentException naming both versions otherwise
     */
    public static void checkNext(long version, Long current) {
        if (version < 0 || version == Long.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "cycle version must be in 0.." + (Long.MAX_VALUE - 1) + ", got " + version);
        }
        if (current != null && version <= current) {
            throw new IllegalArgumentException(
                    "cycle version " + version + " must be greater than the current " + current);
        }
    }

    /** The version as 8 big-endian bytes (ordered like the numbers for versions >= 0). */
    public static byte[] toBytes(long version) {
        return ByteBuffer.allocate(Long.BYTES).putLong(version).array();
    }

    /** The version from 8 big-endian bytes. */
    public static long fromBytes(byte[] bytes) {
        if (bytes.length != Long.BYTES) {
            throw new IllegalStateException("a version takes 8 bytes, got " + bytes.length);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** A list of versions as consecutive 8-byte values. */
    public static byte[] listToBytes(List<Long> versions) {
        ByteBuffer buf = ByteBuffer.allocate(versions.size() * Long.BYTES);
        versions.forEach(buf::putLong);
        return buf.array();
    }

    /** The list of versions written by {@link #listToBytes}. */
    public static List<Long> listFromBytes(byte[] bytes) {
        if (bytes == null) {
            return new ArrayList<>();
        }
        if (bytes.length % Long.BYTES != 0) {
            throw new IllegalStateException("corrupt version list of " + bytes.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        List<Long> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            out.add(buf.getLong());
        }
        return out;
    }
}
