package org.coea.flink.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.stores.HBaseClientOptions;
import org.coea.stores.StoreSettings;
import org.coea.stores.Versions;

/**
 * The options that say which serving store a streaming job opens: the same keys as the batch {@code
 * store} stage, plus {@code store.enabled}.
 */
public final class StoreOptions {
    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("store.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether the job writes to (short-term-interest) or reads from (novelty-lookup) the serving store.");
    public static final ConfigOption<StoreSettings.Kind> KIND =
            ConfigOptions.key("store.kind")
                    .enumType(StoreSettings.Kind.class)
                    .defaultValue(StoreSettings.Kind.ROCKSDB)
                    .withDescription(
                            "Serving store: rocksdb (embedded: one local directory, all subtasks in one TaskManager JVM) or hbase.");
    public static final ConfigOption<String> PATH =
            ConfigOptions.key("store.path")
                    .pathType()
                    .defaultValue("warehouse/store/rocksdb")
                    .withDescription("RocksDB directory, a local path.");
    public static final ConfigOption<String> HBASE_QUORUM = HBaseClientOptions.QUORUM;
    public static final ConfigOption<Integer> HBASE_CLIENT_PORT = HBaseClientOptions.CLIENT_PORT;
    public static final ConfigOption<String> HBASE_ZNODE_PARENT = HBaseClientOptions.ZNODE_PARENT;
    public static final ConfigOption<String> HBASE_PROPERTIES = HBaseClientOptions.PROPERTIES;
    public static final ConfigOption<String> NOVELTY_TABLE = HBaseClientOptions.NOVELTY_TABLE;
    public static final ConfigOption<String> USER_TABLE = HBaseClientOptions.USER_TABLE;

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    ENABLED,
                    KIND,
                    PATH,
                    HBASE_QUORUM,
                    HBASE_CLIENT_PORT,
                    HBASE_ZNODE_PARENT,
                    HBASE_PROPERTIES,
                    NOVELTY_TABLE,
                    USER_TABLE);

    private StoreOptions() {}

    /**
     * The store settings; empty when {@code store.enabled} is false.
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static Optional<StoreSettings> from(Configuration conf) {
        if (!conf.get(ENABLED)) {
            return Optional.empty();
        }
        StoreSettings base;
        if (conf.get(KIND) == StoreSettings.Kind.ROCKSDB) {
            String path = conf.get(PATH);
            if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !path.startsWith("file:")) {
                throw new IllegalArgumentException(
                        PATH.key() + " must be a local directory for RocksDB, got " + path);
            }
            base =
                    StoreSettings.rocksDb(
                            path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path));
        } else {
            base = StoreSettings.hbase(HBaseClientOptions.quorum(conf, "store.kind=hbase"));
        }
        try {
            return Optional.of(
                    HBaseClientOptions.apply(base, conf).withRetainVersions(Versions.MIN_RETAINED));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store options: " + e.getMessage(), e);
        }
    }
}
