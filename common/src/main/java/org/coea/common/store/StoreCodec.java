package org.coea.common.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.coea.common.model.GroupCsid;

/**
 * The byte layout of stored values, shared by every implementation so that a value written by one
 * reads in any other.
 *
 * <p>Novelty entry: format byte {@code 1}, model version (modified UTF-8, {@link
 * DataOutputStream#writeUTF}), count (int), then per category its id (int) and score (double), all
 * big-endian. User state: format byte {@code 1}, CSID text (UTF), count (int), category ids (int).
 */
public final class StoreCodec {
    private static final byte FORMAT = 1;

    private StoreCodec() {}

    /** Encodes a novelty entry. */
    public static byte[] encode(NoveltyEntry entry) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(32 + entry.categories().size() * 12);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(entry.modelVersion());
            out.writeInt(entry.categories().size());
            for (NovelCategory c : entry.categories()) {
                out.writeInt(c.categoryId());
                out.writeDouble(c.score());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a novelty entry.
     *
     * @param key named in the error when the bytes are not a valid entry
     */
    public static NoveltyEntry decodeEntry(String key, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            checkFormat(in.readByte());
            String modelVersion = in.readUTF();
            int n = in.readInt();
            checkCount(n, value.length, 12);
            List<NovelCategory> categories = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                categories.add(new NovelCategory(in.readInt(), in.readDouble()));
            }
            checkEnd(in);
            return new NoveltyEntry(categories, modelVersion);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "corrupt novelty entry at key '" + key + "': " + e.getMessage(), e);
        }
    }

    /** Encodes a user state. */
    public static byte[] encode(UserState state) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(32 + state.shortTermSet().size() * 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(state.csid().toString());
            out.writeInt(state.shortTermSet().size());
            for (int id : state.shortTermSet()) {
                out.writeInt(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a user state.
     *
     * @param userId named in the error when the bytes are not a valid state
     */
    public static UserState decodeUser(String userId, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            checkFormat(in.readByte());
            GroupCsid csid = GroupCsid.parse(in.readUTF());
            int n = in.readInt();
            checkCount(n, value.length, 4);
            TreeSet<Integer> set = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                set.add(in.readInt());
            }
            checkEnd(in);
            return new UserState(csid, set);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "corrupt user record for user '" + userId + "': " + e.getMessage(), e);
        }
    }

    private static void checkFormat(byte format) {
        if (format != FORMAT) {
            throw new IllegalStateException("unknown value format " + format);
        }
    }

    private static void checkCount(int n, int length, int bytesEach) {
        if (n < 0 || (long) n * bytesEach > length) {
            throw new IllegalStateException("bad element count " + n);
        }
    }

    private static void checkEnd(DataInputStream in) throws IOException {
        if (in.read() != -1) {
            throw new IllegalStateException("trailing bytes");
        }
    }
}
