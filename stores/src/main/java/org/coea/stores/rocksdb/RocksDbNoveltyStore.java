package org.coea.stores.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.StoreCodec;
import org.coea.stores.Versions;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The novelty store on RocksDB. Rows live in the {@code novelty} column family under {@code version
 * (8 bytes, big-endian) + key (UTF-8)}; the {@code meta} family holds the pointer {@code
 * novelty.current}, the committed list {@code novelty.committed} and {@code novelty.pending}. A
 * commit writes all three in one {@link WriteBatch}; old versions go with a range delete.
 */
final class RocksDbNoveltyStore implements NoveltyStore {
    private static final byte[] CURRENT = bytes("novelty.current");
    private static final byte[] COMMITTED = bytes("novelty.committed");
    private static final byte[] PENDING = bytes("novelty.pending");

    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle rows;
    private final WriteOptions syncWrite;
    private final WriteOptions plainWrite = new WriteOptions();
    private final int retain;
    private final int batchSize;
    private volatile Long current;
    private Writer openWriter;

    RocksDbNoveltyStore(
            RocksDB db,
            ColumnFamilyHandle meta,
            ColumnFamilyHandle rows,
            WriteOptions syncWrite,
            int retain,
            int batchSize) {
        this.db = db;
        this.meta = meta;
        this.rows = rows;
        this.syncWrite = syncWrite;
        this.retain = retain;
        this.batchSize = batchSize;
        byte[] cur = call(() -> db.get(meta, CURRENT));
        this.current = cur == null ? null : Versions.fromBytes(cur);
    }

    @Override
    public synchronized CycleWriter beginCycle(long version) {
        Versions.checkNext(version, current);
        if (openWriter != null) {
            throw new IllegalStateException(
                    "cycle "
                            + openWriter.version
                            + " is still being written; commit or close it before cycle "
                            + version);
        }
        byte[] pending = call(() -> db.get(meta, PENDING));
        if (pending != null) {
            deleteVersion(Versions.fromBytes(pending));
        }
        deleteVersion(version);
        call(
                () -> {
                    db.put(meta, syncWrite, PENDING, Versions.toBytes(version));
                    return null;
                });
        openWriter = new Writer(version);
        return openWriter;
    }

    @Override
    public Optional<NoveltyEntry> get(NoveltyKey key) {
        Long cur = current;
        if (cur == null) {
            return Optional.empty();
        }
        String text = key.render();
        byte[] value = call(() -> db.get(rows, rowKey(cur, text)));
        return value == null ? Optional.empty() : Optional.of(StoreCodec.decodeEntry(text, value));
    }

    @Override
    public OptionalLong currentVersion() {
        Long cur = current;
        return cur == null ? OptionalLong.empty() : OptionalLong.of(cur);
    }

    /** Owned by {@link RocksDbStores}; closing it there closes this store. */
    @Override
    public void close() {}

    synchronized void closeOwned() {
        if (openWriter != null) {
            openWriter.close();
        }
        plainWrite.close();
    }

    private synchronized void commit(Writer w) {
        List<Long> committed = Versions.listFromBytes(call(() -> db.get(meta, COMMITTED)));
        committed.add(w.version);
        List<Long> dropped = new ArrayList<>();
        while (committed.size() > retain) {
            dropped.add(committed.remove(0));
        }
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(meta, CURRENT, Versions.toBytes(w.version));
            batch.put(meta, COMMITTED, Versions.listToBytes(committed));
            batch.delete(meta, PENDING);
            db.write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot commit novelty cycle " + w.version, e);
        }
        current = w.version;
        openWriter = null;
        for (long v : dropped) {
            deleteVersion(v);
        }
    }

    private synchronized void abandon(Writer w) {
        deleteVersion(w.version);
        call(
                () -> {
                    db.delete(meta, syncWrite, PENDING);
                    return null;
                });
        openWriter = null;
    }

    private void deleteVersion(long version) {
        call(
                () -> {
                    db.deleteRange(rows, Versions.toBytes(version), Versions.toBytes(version + 1));
                    return null;
                });
    }

    private static byte[] rowKey(long version, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[Long.BYTES + k.length];
        System.arraycopy(Versions.toBytes(version), 0, out, 0, Long.BYTES);
        System.arraycopy(k, 0, out, Long.BYTES, k.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static <T> T call(RocksCall<T> call) {
        try {
            return call.run();
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB: " + e.getMessage(), e);
        }
    }

    interface RocksCall<T> {
        T run() throws RocksDBException;
    }

    private final class Writer implements CycleWriter {
        private final long version;
        private WriteBatch batch = new WriteBatch();
        private int inBatch;
        private boolean done;

        Writer(long version) {
            this.version = version;
        }

        @Override
        public long version() {
            return version;
        }

        @Override
        public synchronized void put(NoveltyKey key, NoveltyEntry entry) {
            checkOpen();
            java.util.Objects.requireNonNull(entry, () -> "entry of key " + key);
            String text = key.render();
            call(
                    () -> {
                        batch.put(rows, rowKey(version, text), StoreCodec.encode(entry));
                        return null;
                    });
            if (++inBatch >= batchSize) {
                flush();
            }
        }

        @Override
        public synchronized void commit() {
            checkOpen();
            flush();
            done = true;
            batch.close();
            RocksDbNoveltyStore.this.commit(this);
        }

        @Override
        public synchronized void close() {
            if (!done) {
                done = true;
                batch.close();
                abandon(this);
            }
        }

        private void flush() {
            if (inBatch > 0) {
                call(
                        () -> {
                            db.write(plainWrite, batch);
                            return null;
                        });
                batch.close();
                batch = new WriteBatch();
                inBatch = 0;
            }
        }

        private void checkOpen() {
            if (done) {
                throw new IllegalStateException(
                        "the writer of cycle " + version + " is already committed or closed");
            }
        }
    }
}
