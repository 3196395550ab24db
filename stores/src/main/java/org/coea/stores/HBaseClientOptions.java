package org.coea.stores;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;

/**
 * The HBase client options every engine's store options share ({@code store.hbase.*} and the two
 * table names), and how they apply to {@link StoreSettings}: one definition for the Spark stages,
 * the Flink jobs and {@code coea hbase-init}.
 */
public final class HBaseClientOptions {
    public static final ConfigOption<String> QUORUM =
            ConfigOptions.key("store.hbase.quorum")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ZooKeeper quorum of the HBase cluster, comma-separated hosts (required with store.kind=hbase).");
    public static final ConfigOption<Integer> CLIENT_PORT =
            ConfigOptions.key("store.hbase.client-port")
                    .intType()
                    .defaultValue(StoreSettings.DEFAULT_CLIENT_PORT)
                    .withDescription("ZooKeeper client port of the HBase cluster.");
    public static final ConfigOption<String> ZNODE_PARENT =
            ConfigOptions.key("store.hbase.znode-parent")
                    .stringType()
                    .defaultValue(StoreSettings.DEFAULT_ZNODE_PARENT)
                    .withDescription("Root znode of the HBase cluster.");
    public static final ConfigOption<String> PROPERTIES =
            ConfigOptions.key("store.hbase.properties")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Further HBase client settings as comma-separated key=value pairs, keys starting with hbase. or zookeeper. (e.g. hbase.client.retries.number=5).");
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

    /** The options, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(QUORUM, CLIENT_PORT, ZNODE_PARENT, PROPERTIES, NOVELTY_TABLE, USER_TABLE);

    private HBaseClientOptions() {}

    /**
     * The ZooKeeper quorum.
     *
     * @throws IllegalArgumentException naming the option when it is unset or blank
     */
    public static String quorum(Configuration conf, String purpose) {
        return conf.optional(QUORUM)
                .filter(q -> !q.isBlank())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "--"
                                                + QUORUM.key()
                                                + " is required (the ZooKeeper hosts) with "
                                                + purpose));
    }

    /** The settings with the client port, znode parent, extra properties and table names. */
    public static StoreSettings apply(StoreSettings base, Configuration conf) {
        return base.withClientPort(conf.get(CLIENT_PORT))
                .withZnodeParent(conf.get(ZNODE_PARENT))
                .withHBaseProperties(properties(conf.get(PROPERTIES)))
                .withTables(conf.get(NOVELTY_TABLE), conf.get(USER_TABLE));
    }

    /**
     * Parses {@code k=v,k2=v2}.
     *
     * @throws IllegalArgumentException naming the option for a pair without {@code =}
     */
    public static Map<String, String> properties(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        PROPERTIES.key() + " expects key=value pairs, got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }
}
