package org.coea.stores;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.coea.stores.hbase.HBaseTables;

/**
 * Which store to open and how: the embedded RocksDB directory or an HBase cluster, the table names,
 * the retained novelty versions and the write batch size. Serializable, so a Spark or Flink job can
 * ship it to its workers; {@link OpenedStores#open} opens it.
 *
 * @param kind RocksDB or HBase
 * @param rocksDbPath the RocksDB directory (a local path); empty for HBase
 * @param hbaseQuorum the ZooKeeper quorum of the HBase cluster (comma-separated hosts); empty for
 *     RocksDB
 * @param hbaseClientPort the ZooKeeper client port
 * @param hbaseZnodeParent the HBase root znode
 * @param hbaseProperties further client settings, each key starting with {@code hbase.} or {@code
 *     zookeeper.}, applied last
 * @param noveltyTable the HBase novelty table
 * @param userTable the HBase user table
 * @param retainVersions committed novelty versions to keep, at least {@link Versions#MIN_RETAINED}
 * @param batchSize rows per write batch
 */
public record StoreSettings(
        Kind kind,
        String rocksDbPath,
        String hbaseQuorum,
        int hbaseClientPort,
        String hbaseZnodeParent,
        Map<String, String> hbaseProperties,
        String noveltyTable,
        String userTable,
        int retainVersions,
        int batchSize)
        implements Serializable {

    /** The store implementations. */
    public enum Kind {
        /** The embedded store: one local RocksDB directory, one process at a time. */
        ROCKSDB,
        /** The production store: two HBase tables. */
        HBASE
    }

    /** Default ZooKeeper client port. */
    public static final int DEFAULT_CLIENT_PORT = 2181;

    /** Default HBase root znode. */
    public static final String DEFAULT_ZNODE_PARENT = "/hbase";

    /** Default rows per write batch. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private static final long serialVersionUID = 1L;

    /** Validates the fields; names the wrong one. */
    public StoreSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rocksDbPath, "rocksDbPath");
        Objects.requireNonNull(hbaseQuorum, "hbaseQuorum");
        Objects.requireNonNull(hbaseZnodeParent, "hbaseZnodeParent");
        Objects.requireNonNull(noveltyTable, "noveltyTable");
        Objects.requireNonNull(userTable, "userTable");
        hbaseProperties = Map.copyOf(new TreeMap<>(hbaseProperties));
        if (kind == Kind.ROCKSDB && rocksDbPath.isBlank()) {
            throw new IllegalArgumentException("a RocksDB store needs a directory");
        }
        if (kind == Kind.ROCKSDB && rocksDbPath.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            throw new IllegalArgumentException(
                    "the RocksDB directory must be a local path, got " + rocksDbPath);
        }
        if (kind == Kind.HBASE && hbaseQuorum.isBlank()) {
            throw new IllegalArgumentException("an HBase store needs a ZooKeeper quorum");
        }
        if (hbaseClientPort < 1 || hbaseClientPort > 65535) {
            throw new IllegalArgumentException(
                    "ZooKeeper client port must be in 1..65535, got " + hbaseClientPort);
        }
        if (!hbaseZnodeParent.startsWith("/")) {
            throw new IllegalArgumentException(
                    "HBase znode parent must start with '/', got '" + hbaseZnodeParent + "'");
        }
        for (String key : hbaseProperties.keySet()) {
            if (!key.startsWith("hbase.") && !key.startsWith("zookeeper.")) {
                throw new IllegalArgumentException(
                        "HBase client property '" + key + "' must start with hbase. or zookeeper.");
            }
        }
        for (String table : new String[] {noveltyTable, userTable}) {
            if (!table.matches("[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?")) {
                throw new IllegalArgumentException("not an HBase table name '" + table + "'");
            }
        }
        if (noveltyTable.equals(userTable)) {
            throw new IllegalArgumentException(
                    "the novelty and user tables must differ, both are '" + noveltyTable + "'");
        }
        Versions.checkRetained(retainVersions);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
    }

    /** An embedded RocksDB store in {@code dir}, with the default settings. */
    public static StoreSettings rocksDb(Path dir) {
        return new StoreSettings(
                Kind.ROCKSDB,
                dir.toString(),
                "",
                DEFAULT_CLIENT_PORT,
                DEFAULT_ZNODE_PARENT,
                Map.of(),
                HBaseTables.DEFAULT_NOVELTY_TABLE.getNameAsString(),
                HBaseTables.DEFAULT_USER_TABLE.getNameAsString(),
                Versions.MIN_RETAINED,
                DEFAULT_BATCH_SIZE);
    }

    /** An HBase store reached through the ZooKeeper {@code quorum}, with the default settings. */
    public static StoreSettings hbase(String quorum) {
        return new StoreSettings(
                Kind.HBASE,
                "",
                quorum,
                DEFAULT_CLIENT_PORT,
                DEFAULT_ZNODE_PARENT,
                Map.of(),
                HBaseTables.DEFAULT_NOVELTY_TABLE.getNameAsString(),
                HBaseTables.DEFAULT_USER_TABLE.getNameAsString(),
                Versions.MIN_RETAINED,
                DEFAULT_BATCH_SIZE);
    }

    /** These settings with another ZooKeeper client port. */
    public StoreSettings withClientPort(int port) {
        return new StoreSettings(
                kind,
                rocksDbPath,
                hbaseQuorum,
                port,
                hbaseZnodeParent,
                hbaseProperties,
                noveltyTable,
                userTable,
                retainVersions,
                batchSize);
    }

    /** These settings with another HBase root znode. */
    public StoreSettings withZnodeParent(String znodeParent) {
        return new StoreSettings(
                kind,
                rocksDbPath,
                hbaseQuorum,
                hbaseClientPort,
                znodeParent,
                hbaseProperties,
                noveltyTable,
                userTable,
                retainVersions,
                batchSize);
    }

    /** These settings with further HBase client properties (replacing earlier ones). */
    public StoreSettings withHBaseProperties(Map<String, String> properties) {
        return new StoreSettings(
                kind,
                rocksDbPath,
                hbaseQuorum,
                hbaseClientPort,
                hbaseZnodeParent,
                properties,
                noveltyTable,
                userTable,
                retainVersions,
                batchSize);
    }

    /** These settings with other HBase table names. */
    public StoreSettings withTables(String novelty, String users) {
        return new StoreSettings(
                kind,
                rocksDbPath,
                hbaseQuorum,
                hbaseClientPort,
                hbaseZnodeParent,
                hbaseProperties,
                novelty,
                users,
                retainVersions,
                batchSize);
    }

    /** These settings keeping another number of committed novelty versions. */
    public StoreSettings withRetainVersions(int retain) {
        return new StoreSettings(
                kind,
                rocksDbPath,
                hbaseQuorum,
                hbaseClientPort,
                hbaseZnodeParent,
                hbaseProperties,
                noveltyTable,
                userTable,
                retain,
                batchSize);
    }

    /** These settings with another write batch size. */
    public StoreSettings withBatchSize(int rows) {
        return new StoreSettings(
                kind,
                rocksDbPath,
                hbaseQuorum,
                hbaseClientPort,
                hbaseZnodeParent,
                hbaseProperties,
                noveltyTable,
                userTable,
                retainVersions,
                rows);
    }

    /** A short description for logs and metrics, e.g. {@code rocksdb:/data/store}. */
    public String describe() {
        return kind == Kind.ROCKSDB
                ? "rocksdb:" + rocksDbPath
                : "hbase:"
                        + hbaseQuorum
                        + ":"
                        + hbaseClientPort
                        + hbaseZnodeParent
                        + " tables "
                        + noveltyTable
                        + ", "
                        + userTable;
    }
}
