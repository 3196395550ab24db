package org.coea.spark.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.spark.CommonOptions;
import org.coea.stores.HBaseClientOptions;
import org.coea.stores.StoreSettings;
import org.coea.stores.Versions;

/**
 * The options that say which serving store the {@code store} stage and {@code lookup} open.
 *
 * @param settings the resolved store settings
 */
public record StoreOptions(StoreSettings settings) {

    public static final ConfigOption<StoreSettings.Kind> KIND =
            ConfigOptions.key("store.kind")
                    .enumType(StoreSettings.Kind.class)
                    .defaultValue(StoreSettings.Kind.ROCKSDB)
                    .withDescription(
                            "Serving store: rocksdb (embedded, one local directory, written from the driver) or hbase.");
    public static final ConfigOption<String> PATH =
            ConfigOptions.key("store.path")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "RocksDB directory, a local path; unset: <warehouse>/store/rocksdb (the warehouse must then be local).");
    public static final ConfigOption<String> HBASE_QUORUM = HBaseClientOptions.QUORUM;
    public static final ConfigOption<Integer> HBASE_CLIENT_PORT = HBaseClientOptions.CLIENT_PORT;
    public static final ConfigOption<String> HBASE_ZNODE_PARENT = HBaseClientOptions.ZNODE_PARENT;
    public static final ConfigOption<String> HBASE_PROPERTIES = HBaseClientOptions.PROPERTIES;
    public static final ConfigOption<String> NOVELTY_TABLE = HBaseClientOptions.NOVELTY_TABLE;
    public static final ConfigOption<String> USER_TABLE = HBaseClientOptions.USER_TABLE;
    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("store.batch-size")
                    .intType()
                    .defaultValue(StoreSettings.DEFAULT_BATCH_SIZE)
                    .withDescription("Rows per store write batch.");
    public static final ConfigOption<Integer> RETAIN_VERSIONS =
            ConfigOptions.key("store.retain-versions")
                    .intType()
                    .defaultValue(Versions.MIN_RETAINED)
                    .withDescription(
                            "Committed novelty versions the store keeps (at least 2: the current one and one before, for reads that overlap a switch).");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    KIND,
                    PATH,
                    HBASE_QUORUM,
                    HBASE_CLIENT_PORT,
                    HBASE_ZNODE_PARENT,
                    HBASE_PROPERTIES,
                    NOVELTY_TABLE,
                    USER_TABLE,
                    BATCH_SIZE,
                    RETAIN_VERSIONS);

    public StoreOptions {
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * Resolves the options; the RocksDB directory defaults to {@code <warehouse>/store/rocksdb}.
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static StoreOptions from(Configuration conf) {
        StoreSettings.Kind kind = conf.get(KIND);
        StoreSettings base;
        if (kind == StoreSettings.Kind.ROCKSDB) {
            String path =
                    conf.optional(PATH)
                            .filter(p -> !p.isBlank())
                            .orElseGet(() -> defaultPath(conf.get(CommonOptions.WAREHOUSE)));
            base = StoreSettings.rocksDb(localPath(path));
        } else {
            base = StoreSettings.hbase(HBaseClientOptions.quorum(conf, "store.kind=hbase"));
        }
        try {
            return new StoreOptions(
                    HBaseClientOptions.apply(base, conf)
                            .withBatchSize(conf.get(BATCH_SIZE))
                            .withRetainVersions(conf.get(RETAIN_VERSIONS)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store options: " + e.getMessage(), e);
        }
    }

    /** {@code <warehouse>/store/rocksdb}, when the warehouse is a local path. */
    static String defaultPath(String warehouse) {
        if (!isLocal(warehouse)) {
            throw new IllegalArgumentException(
                    "the warehouse "
                            + warehouse
                            + " is not local: set --"
                            + PATH.key()
                            + " to a local directory for RocksDB (or use --"
                            + KIND.key()
                            + " hbase)");
        }
        return localPath(warehouse).resolve("store").resolve("rocksdb").toString();
    }

    /** A local path from a plain path or a {@code file:} URI. */
    static Path localPath(String path) {
        if (path.startsWith("file:")) {
            return Path.of(URI.create(path));
        }
        if (!isLocal(path)) {
            throw new IllegalArgumentException(
                    PATH.key() + " must be a local directory for RocksDB, got " + path);
        }
        return Path.of(path);
    }

    private static boolean isLocal(String path) {
        return path.startsWith("file:") || !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }
}
