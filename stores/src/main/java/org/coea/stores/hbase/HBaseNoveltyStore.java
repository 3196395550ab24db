package org.coea.stores.hbase;

import static org.coea.stores.hbase.HBaseTables.NOVELTY_FAMILY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.BufferedMutatorParams;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.RowMutations;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.StoreCodec;
import org.coea.stores.Versions;

/**
 * The novelty store on HBase.
 *
 * <p>Each cycle attempt gets a fresh <em>slot</em> (an 8-byte counter, never reused) and writes its
 * rows as cells {@code n:<slot>} through a {@link BufferedMutator}. The pointer row {@code
 * \0pointer} holds {@code current} (the version), {@code slot} (its slot), {@code committed} (the
 * retained slots), {@code pending} (the slot being written) and {@code seq} (the slot counter). A
 * commit rewrites the pointer row in one {@link RowMutations}, which HBase applies atomically;
 * readers then read {@code n:<new slot>}. Cells of dropped or abandoned slots are deleted after the
 * switch. Because slots are never reused, those deletes never mask a later write.
 */
final class HBaseNoveltyStore implements NoveltyStore {
    static final byte[] POINTER_ROW = Bytes.toBytes("\0pointer");
    private static final byte[] CURRENT = Bytes.toBytes("current");
    private static final byte[] SLOT = Bytes.toBytes("slot");
    private static final byte[] COMMITTED = Bytes.toBytes("committed");
    private static final byte[] PENDING = Bytes.toBytes("pending");
    private static final byte[] SEQ = Bytes.toBytes("seq");

    private final Connection connection;
    private final TableName tableName;
    private final int retain;
    private final long writeBufferBytes;
    private final long refreshNanos;
    private volatile Pointer pointer;
    private Writer openWriter;

    HBaseNoveltyStore(
            Connection connection,
            TableName tableName,
            int retain,
            long writeBufferBytes,
            Duration pointerRefresh) {
        this.connection = connection;
        this.tableName = tableName;
        this.retain = retain;
        this.writeBufferBytes = writeBufferBytes;
        this.refreshNanos = pointerRefresh.toNanos();
        this.pointer = loadPointer();
    }

    @Override
    public synchronized CycleWriter beginCycle(long version) {
        if (openWriter != null) {
            throw new IllegalStateException(
                    "cycle "
                            + openWriter.version
                            + " is still being written; commit or close it before cycle "
                            + version);
        }
        Pointer p = refresh();
        Versions.checkNext(version, p.version);
        try (Table table = table()) {
            Result row = table.get(new Get(POINTER_ROW).addFamily(NOVELTY_FAMILY));
            byte[] pending = row.getValue(NOVELTY_FAMILY, PENDING);
            if (pending != null) {
                deleteSlots(List.of(Versions.fromBytes(pending)));
            }
            long slot = table.incrementColumnValue(POINTER_ROW, NOVELTY_FAMILY, SEQ, 1);
            table.put(
                    new Put(POINTER_ROW)
                            .addColumn(NOVELTY_FAMILY, PENDING, Versions.toBytes(slot)));
            BufferedMutator mutator =
                    connection.getBufferedMutator(
                            new BufferedMutatorParams(tableName).writeBufferSize(writeBufferBytes));
            openWriter = new Writer(version, slot, mutator);
            return openWriter;
        } catch (IOException e) {
            throw io("cannot begin novelty cycle " + version, e);
        }
    }

    @Override
    public Optional<NoveltyEntry> get(NoveltyKey key) {
        Pointer p = pointer();
        if (p.version == null) {
            return Optional.empty();
        }
        String text = key.render();
        byte[] qualifier = Versions.toBytes(p.slot);
        try (Table table = table()) {
            Result r = table.get(new Get(Bytes.toBytes(text)).addColumn(NOVELTY_FAMILY, qualifier));
            byte[] value = r.getValue(NOVELTY_FAMILY, qualifier);
            return value == null
                    ? Optional.empty()
                    : Optional.of(StoreCodec.decodeEntry(text, value));
        } catch (IOException e) {
            throw io("cannot read novelty key '" + text + "'", e);
        }
    }

    @Override
    public OptionalLong currentVersion() {
        Long v = pointer().version;
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override
    public synchronized void close() {
        if (openWriter != null) {
            openWriter.close();
        }
    }

    private Pointer pointer() {
        Pointer p = pointer;
        if (System.nanoTime() - p.loadedAt > refreshNanos) {
            p = refresh();
        }
        return p;
    }

    private synchronized Pointer refresh() {
        Pointer loaded = loadPointer();
        Pointer cached = pointer;
        // a reload never moves a reader back behind a commit it has already seen
        if (cached != null
                && cached.version != null
                && (loaded.version == null || loaded.version < cached.version)) {
            loaded = new Pointer(cached.version, cached.slot, loaded.loadedAt);
        }
        pointer = loaded;
        return loaded;
    }

    private Pointer loadPointer() {
        try (Table table = table()) {
            Result r = table.get(new Get(POINTER_ROW).addFamily(NOVELTY_FAMILY));
            byte[] v = r.getValue(NOVELTY_FAMILY, CURRENT);
            byte[] s = r.getValue(NOVELTY_FAMILY, SLOT);
            return v == null
                    ? new Pointer(null, 0, System.nanoTime())
                    : new Pointer(Versions.fromBytes(v), Versions.fromBytes(s), System.nanoTime());
        } catch (IOException e) {
            throw io("cannot read the pointer row of " + tableName, e);
        }
    }

    private synchronized void commit(Writer w) {
        try (Table table = table()) {
            Result row = table.get(new Get(POINTER_ROW).addFamily(NOVELTY_FAMILY));
            List<Long> committed = Versions.listFromBytes(row.getValue(NOVELTY_FAMILY, COMMITTED));
            committed.add(w.slot);
            List<Long> dropped = new ArrayList<>();
            while (committed.size() > retain) {
                dropped.add(committed.remove(0));
            }
            RowMutations switchVersion = new RowMutations(POINTER_ROW);
            switchVersion.add(
                    new Put(POINTER_ROW)
                            .addColumn(NOVELTY_FAMILY, CURRENT, Versions.toBytes(w.version))
                            .addColumn(NOVELTY_FAMILY, SLOT, Versions.toBytes(w.slot))
                            .addColumn(NOVELTY_FAMILY, COMMITTED, Versions.listToBytes(committed)));
            switchVersion.add(new Delete(POINTER_ROW).addColumns(NOVELTY_FAMILY, PENDING));
            table.mutateRow(switchVersion);
            pointer = new Pointer(w.version, w.slot, System.nanoTime());
            openWriter = null;
            deleteSlots(dropped);
        } catch (IOException e) {
            throw io("cannot commit novelty cycle " + w.version, e);
        }
    }

    private synchronized void abandon(Writer w) {
        try (Table table = table()) {
            deleteSlots(List.of(w.slot));
            table.delete(new Delete(POINTER_ROW).addColumns(NOVELTY_FAMILY, PENDING));
        } catch (IOException e) {
            throw io("cannot abandon novelty cycle " + w.version, e);
        } finally {
            openWriter = null;
        }
    }

    /** Deletes every cell of the given slots (a scan of the rows that have them). */
    private void deleteSlots(List<Long> slots) throws IOException {
        if (slots.isEmpty()) {
            return;
        }
        Set<Long> wanted = Set.copyOf(slots);
        Scan scan = new Scan().setCaching(1000);
        for (long s : slots) {
            scan.addColumn(NOVELTY_FAMILY, Versions.toBytes(s));
        }
        try (Table table = table();
                ResultScanner scanner = table.getScanner(scan);
                BufferedMutator deletes =
                        connection.getBufferedMutator(
                                new BufferedMutatorParams(tableName)
                                        .writeBufferSize(writeBufferBytes))) {
            for (Result r : scanner) {
                if (Bytes.equals(r.getRow(), POINTER_ROW)) {
                    continue;
                }
                Delete d = new Delete(r.getRow());
                for (Cell c : r.rawCells()) {
                    byte[] q = CellUtil.cloneQualifier(c);
                    if (q.length == Long.BYTES && wanted.contains(Versions.fromBytes(q))) {
                        d.addColumns(NOVELTY_FAMILY, q);
                    }
                }
                if (!d.isEmpty()) {
                    deletes.mutate(d);
                }
            }
        }
    }

    private Table table() throws IOException {
        return connection.getTable(tableName);
    }

    private static UncheckedIOException io(String what, IOException e) {
        return new UncheckedIOException(what + ": " + e.getMessage(), e);
    }

    /** The current version and slot, and when they were read. */
    private record Pointer(Long version, long slot, long loadedAt) {}

    private final class Writer implements CycleWriter {
        private final long version;
        private final long slot;
        private final byte[] qualifier;
        private final BufferedMutator mutator;
        private boolean done;

        Writer(long version, long slot, BufferedMutator mutator) {
            this.version = version;
            this.slot = slot;
            this.qualifier = Versions.toBytes(slot);
            this.mutator = mutator;
        }

        @Override
        public long version() {
            return version;
        }

        @Override
        public synchronized void put(NoveltyKey key, NoveltyEntry entry) {
            checkOpen();
            Objects.requireNonNull(entry, () -> "entry of key " + key);
            try {
                mutator.mutate(
                        new Put(Bytes.toBytes(key.render()))
                                .addColumn(NOVELTY_FAMILY, qualifier, StoreCodec.encode(entry)));
            } catch (IOException e) {
                throw io("cannot write novelty key '" + key + "' of cycle " + version, e);
            }
        }

        @Override
        public synchronized void commit() {
            checkOpen();
            try {
                mutator.close();
            } catch (IOException e) {
                throw io("cannot flush novelty cycle " + version, e);
            }
            done = true;
            HBaseNoveltyStore.this.commit(this);
        }

        @Override
        public synchronized void close() {
            if (!done) {
                done = true;
                try {
                    mutator.close();
                } catch (IOException e) {
                    // the rows are deleted below either way
                }
                abandon(this);
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
