package org.coea.common.hash;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import java.util.Collection;
import java.util.Locale;

/**
 * The 64-bit hash of a short-term category set, stable across JVMs, runs and languages.
 *
 * <p>Definition: take the distinct category ids, sort them ascending, write each as a 4-byte
 * little-endian two's-complement integer, and hash the bytes with XXH3-64 (seed 0), the
 * implementation of the maintained hash4j library. The hex form is the unsigned value as 16
 * lower-case hex digits. Any language with an XXH3 implementation (for example {@code xxhsum -H3},
 * Python {@code xxhash.xxh3_64}) reproduces it.
 */
public final class CategorySetHash {
    private static final Hasher64 XXH3 = Hashing.xxh3_64();

    private CategorySetHash() {}

    /** The hash of the set of category ids. */
    public static long hash(Collection<Integer> categoryIds) {
        int[] ids = categoryIds.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        HashStream64 stream = XXH3.hashStream();
        for (int id : ids) {
            stream.putInt(id);
        }
        return stream.getAsLong();
    }

    /** The hash as 16 lower-case hex digits. */
    public static String hex(Collection<Integer> categoryIds) {
        return String.format(Locale.ROOT, "%016x", hash(categoryIds));
    }
}
