package org.coea.stores.hbase;

import java.time.Duration;
import java.util.Objects;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserStore;
import org.coea.stores.Versions;

/**
 * The {@link NoveltyStore} and {@link UserStore} on HBase tables laid out by {@link HBaseTables},
 * over a connection that the caller owns and closes.
 */
public final class HBaseStores {
    private final HBaseNoveltyStore novelty;
    private final HBaseUserStore users;

    private HBaseStores(Builder b) {
        this.novelty =
                new HBaseNoveltyStore(
                        b.connection,
                        b.noveltyTable,
                        b.retainVersions,
                        b.writeBufferBytes,
                        b.pointerRefresh);
        this.users = new HBaseUserStore(b.connection, b.userTable, b.writeBufferBytes);
    }

    /** A builder: {@code setConnection} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The novelty store. */
    public NoveltyStore noveltyStore() {
        return novelty;
    }

    /** The user store. */
    public UserStore userStore() {
        return users;
    }

    /** Builds {@link HBaseStores}. */
    public static final class Builder {
        private Connection connection;
        private TableName noveltyTable = HBaseTables.DEFAULT_NOVELTY_TABLE;
        private TableName userTable = HBaseTables.DEFAULT_USER_TABLE;
        private int retainVersions = Versions.MIN_RETAINED;
        private long writeBufferBytes = 4L << 20;
        private Duration pointerRefresh = Duration.ofSeconds(1);

        private Builder() {}

        /** The HBase connection (not closed by the stores). */
        public Builder setConnection(Connection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /** The novelty table (default {@code coea_novelty}). */
        public Builder optNoveltyTable(TableName table) {
            this.noveltyTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /** The user table (default {@code coea_users}). */
        public Builder optUserTable(TableName table) {
            this.userTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /** Committed novelty versions to keep, at least 2 (default 2). */
        public Builder optRetainVersions(int retainVersions) {
            this.retainVersions = retainVersions;
            return this;
        }

        /** Write buffer of the batch writers in bytes (default 4 MiB). */
        public Builder optWriteBufferBytes(long bytes) {
            this.writeBufferBytes = bytes;
            return this;
        }

        /**
         * How long a reader trusts its cached pointer before re-reading it (default 1 s): the delay
         * after which a commit by another process becomes visible here.
         */
        public Builder optPointerRefresh(Duration refresh) {
            this.pointerRefresh = Objects.requireNonNull(refresh, "refresh");
            return this;
        }

        /** Makes the stores (the tables must exist: {@link HBaseTables#createIfMissing}). */
        public HBaseStores build() {
            if (connection == null) {
                throw new IllegalArgumentException("HBaseStores needs setConnection(connection)");
            }
            Versions.checkRetained(retainVersions);
            if (writeBufferBytes < 1024) {
                throw new IllegalArgumentException(
                        "write buffer must be >= 1024 bytes, got " + writeBufferBytes);
            }
            if (pointerRefresh.isNegative()) {
                throw new IllegalArgumentException(
                        "pointer refresh must be >= 0, got " + pointerRefresh);
            }
            return new HBaseStores(this);
        }
    }
}
