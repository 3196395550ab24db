package org.coea.flink.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
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
    public static final ConfigOption<String> HBASE_QUORUM =
            ConfigOptions.key("store.hbase.quorum")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ZooKeeper quorum of the HBase cluster, comma-separated hosts (required with store.kind=hbase).");
    public static final ConfigOption<Integer> HBASE_CLIENT_PORT =
            ConfigOptions.key("store.hbase.client-port")
                    .intType()
                    .defaultValue(StoreSettings.DEFAULT_CLIENT_PORT)
                    .withDescription("ZooKeeper client port of the HBase cluster.");
    public static final ConfigOption<String> HBASE_ZNODE_PARENT =
            ConfigOptions.key("store.hbase.znode-parent")
                    .stringType()
                    .defaultValue(StoreSettings.DEFAULT_ZNODE_PARENT)
                    .withDescription("Root znode of the HBase cluster.");
    public static final ConfigOption<String> HBASE_PROPERTIES =
            ConfigOptions.key("store.hbase.properties")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Further HBase client settings as comma-separated key=value pairs, keys starting with hbase. or zookeeper.");
    public static final ConfigOption<String> NOVELTY_TABLE =
            ConfigOptions.key("store.novelty-table")
                    .stringType()
                    .defaultValue("coea_novelty")
                    .withDescription("HBase table of the novelty store (created when missing).");
    public static final ConfigOption<String> USER_TABLE =
            ConfigOptions.key("store.user-table")
                    .stringType()
                    .defaultValue("coea_users")
                    .withDescription("HBase table of the user store (created when missing).");

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
            String quorum =
                    conf.optional(HBASE_QUORUM)
                            .filter(q -> !q.isBlank())
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "store.kind=hbase needs --"
                                                            + HBASE_QUORUM.key()));
            base = StoreSettings.hbase(quorum);
        }
        try {
            return Optional.of(
                    base.withClientPort(conf.get(HBASE_CLIENT_PORT))
                            .withZnodeParent(conf.get(HBASE_ZNODE_PARENT))
                            .withHBaseProperties(properties(conf.get(HBASE_PROPERTIES)))
                            .withTables(conf.get(NOVELTY_TABLE), conf.get(USER_TABLE))
                            .withRetainVersions(Versions.MIN_RETAINED));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store options: " + e.getMessage(), e);
        }
    }

    /** Parses {@code k=v,k2=v2}. */
    static Map<String, String> properties(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        HBASE_PROPERTIES.key() + ": expected key=value, got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }
}
