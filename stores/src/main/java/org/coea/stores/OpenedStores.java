package org.coea.stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserStore;
import org.coea.stores.hbase.HBaseStores;
import org.coea.stores.hbase.HBaseTables;
import org.coea.stores.rocksdb.RocksDbStores;

/**
 * The novelty and user stores opened from {@link StoreSettings}, with what they need (the RocksDB
 * handle or the HBase connection); closing it closes all of them.
 */
public final class OpenedStores implements AutoCloseable {
    private final StoreSettings settings;
    private final NoveltyStore novelty;
    private final UserStore users;
    private final AutoCloseable owned;

    private OpenedStores(
            StoreSettings settings, NoveltyStore novelty, UserStore users, AutoCloseable owned) {
        this.settings = settings;
        this.novelty = novelty;
        this.users = users;
        this.owned = owned;
    }

    /**
     * Opens the stores; for HBase, connects and creates the two tables when they are missing.
     *
     * @throws IllegalStateException naming the store when it cannot be opened
     */
    public static OpenedStores open(StoreSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return settings.kind() == StoreSettings.Kind.ROCKSDB
                ? openRocksDb(settings)
                : openHBase(settings);
    }

    private static OpenedStores openRocksDb(StoreSettings s) {
        RocksDbStores stores =
                RocksDbStores.builder()
                        .setPath(Path.of(s.rocksDbPath()))
                        .optRetainVersions(s.retainVersions())
                        .optBatchSize(s.batchSize())
                        .build();
        return new OpenedStores(s, stores.noveltyStore(), stores.userStore(), stores);
    }

    private static OpenedStores openHBase(StoreSettings s) {
        Connection connection;
        try {
            connection = ConnectionFactory.createConnection(hbaseConfiguration(s));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot connect to HBase (" + s.describe() + "): " + e.getMessage(), e);
        }
        try {
            TableName noveltyTable = TableName.valueOf(s.noveltyTable());
            TableName userTable = TableName.valueOf(s.userTable());
            try (Admin admin = connection.getAdmin()) {
                HBaseTables.createIfMissing(admin, noveltyTable, userTable);
            }
            HBaseStores stores =
                    HBaseStores.builder()
                            .setConnection(connection)
                            .optNoveltyTable(noveltyTable)
                            .optUserTable(userTable)
                            .optRetainVersions(s.retainVersions())
                            .build();
            return new OpenedStores(s, stores.noveltyStore(), stores.userStore(), connection);
        } catch (IOException | RuntimeException e) {
            closeQuietly(connection, e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(
                        "cannot open the HBase stores (" + s.describe() + "): " + e.getMessage(),
                        io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The HBase client configuration of the settings: quorum, port, znode, then the extras. */
    public static Configuration hbaseConfiguration(StoreSettings s) {
        Configuration conf = HBaseConfiguration.create();
        conf.set(HConstants.ZOOKEEPER_QUORUM, s.hbaseQuorum());
        conf.setInt(HConstants.ZOOKEEPER_CLIENT_PORT, s.hbaseClientPort());
        conf.set(HConstants.ZOOKEEPER_ZNODE_PARENT, s.hbaseZnodeParent());
        s.hbaseProperties().forEach(conf::set);
        return conf;
    }

    /** The settings these stores were opened with. */
    public StoreSettings settings() {
        return settings;
    }

    /** The novelty store (closed with this object). */
    public NoveltyStore noveltyStore() {
        return novelty;
    }

    /** The user store (closed with this object). */
    public UserStore userStore() {
        return users;
    }

    @Override
    public void close() {
        try {
            novelty.close();
            users.close();
        } finally {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot close the stores (" + settings.describe() + "): " + e, e);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c, Exception cause) {
        try {
            c.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
