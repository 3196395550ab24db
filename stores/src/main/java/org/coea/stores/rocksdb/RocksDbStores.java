package org.coea.stores.rocksdb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserStore;
import org.coea.stores.Versions;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB directory holding the embedded {@link NoveltyStore} and {@link UserStore}; closing it
 * closes both.
 */
public final class RocksDbStores implements AutoCloseable {
    static final byte[] CF_META = "meta".getBytes(StandardCharsets.UTF_8);
    static final byte[] CF_NOVELTY = "novelty".getBytes(StandardCharsets.UTF_8);
    static final byte[] CF_USERS = "users".getBytes(StandardCharsets.UTF_8);

    private final Path path;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final WriteOptions syncWrite;
    private final RocksDbNoveltyStore novelty;
    private final RocksDbUserStore users;

    private RocksDbStores(Builder b) {
        RocksDB.loadLibrary();
        this.path = b.path;
        this.dbOptions =
                new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        this.cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors =
                List.of(
                        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                        new ColumnFamilyDescriptor(CF_META, cfOptions),
                        new ColumnFamilyDescriptor(CF_NOVELTY, cfOptions),
                        new ColumnFamilyDescriptor(CF_USERS, cfOptions));
        try {
            Files.createDirectories(path);
            this.db = RocksDB.open(dbOptions, path.toString(), descriptors, handles);
        } catch (RocksDBException | java.io.IOException e) {
            dbOptions.close();
            cfOptions.close();
            throw new IllegalStateException("cannot open RocksDB at " + path + ": " + e, e);
        }
        this.syncWrite = new WriteOptions().setSync(true);
        this.novelty =
                new RocksDbNoveltyStore(
                        db,
                        handles.get(1),
                        handles.get(2),
                        syncWrite,
                        b.retainVersions,
                        b.batchSize);
        this.users = new RocksDbUserStore(db, handles.get(1), handles.get(3), b.batchSize);
    }

    /** A builder: {@code setPath} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The novelty store in this directory (closed with this object). */
    public NoveltyStore noveltyStore() {
        return novelty;
    }

    /** The user store in this directory (closed with this object). */
    public UserStore userStore() {
        return users;
    }

    /** The DB directory. */
    public Path path() {
        return path;
    }

    @Override
    public void close() {
        novelty.closeOwned();
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        syncWrite.close();
        dbOptions.close();
        cfOptions.close();
    }

    /** Builds {@link RocksDbStores}. */
    public static final class Builder {
        private Path path;
        private int retainVersions = Versions.MIN_RETAINED;
        private int batchSize = 1000;

        private Builder() {}

        /** The DB directory (created when missing). */
        public Builder setPath(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Committed novelty versions to keep, at least 2 (default 2). */
        public Builder optRetainVersions(int retainVersions) {
            this.retainVersions = retainVersions;
            return this;
        }

        /** Rows per write batch (default 1000). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Opens the stores. */
        public RocksDbStores build() {
            if (path == null) {
                throw new IllegalArgumentException("RocksDbStores needs setPath(dir)");
            }
            Versions.checkRetained(retainVersions);
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            return new RocksDbStores(this);
        }
    }
}
