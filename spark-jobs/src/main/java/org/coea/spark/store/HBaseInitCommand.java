package org.coea.spark.store;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.stores.HBaseClientOptions;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;
import org.coea.stores.hbase.HBaseLayout;
import org.coea.stores.hbase.HBaseTables;

/**
 * {@code coea hbase-init}: creates the serving store's HBase namespace and tables (families,
 * versions, novelty TTL, pre-split by key prefix) unless they exist, and reports what it did. Safe
 * to run again: existing namespaces and tables are left as they are. Needs no Spark session.
 */
public final class HBaseInitCommand {
    /** The subcommand name. */
    public static final String NAME = "hbase-init";

    public static final ConfigOption<Integer> NOVELTY_REGIONS =
            ConfigOptions.key("hbase-init.novelty-regions")
                    .intType()
                    .defaultValue(16)
                    .withDescription(
                            "Regions of a new novelty table, pre-split at the first-level CSID codes 001 .. N-1 (match groups.codebook-size; 1: no split).");
    public static final ConfigOption<String> USER_SPLITS =
            ConfigOptions.key("hbase-init.user-splits")
                    .stringType()
                    .defaultValue("1,2,3,4,5,6,7,8,9")
                    .withDescription(
                            "Split keys of a new user table, comma-separated user id prefixes in ascending order (empty: no split).");
    public static final ConfigOption<Integer> NOVELTY_TTL_DAYS =
            ConfigOptions.key("hbase-init.novelty-ttl-days")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "Time to live of novelty cells in days, a guard against rows no cycle rewrites; must exceed the longest gap between cycles (0: none).");

    private HBaseInitCommand() {}

    /** One line for {@code coea --help}. */
    public static String summary() {
        return "create the HBase namespace and tables of the serving store if missing (idempotent); no Spark";
    }

    /** The options of {@code hbase-init}: the store's HBase options and the layout's. */
    public static List<ConfigOption<?>> options() {
        return List.of(
                StoreOptions.HBASE_QUORUM,
                StoreOptions.HBASE_CLIENT_PORT,
                StoreOptions.HBASE_ZNODE_PARENT,
                StoreOptions.HBASE_PROPERTIES,
                StoreOptions.NOVELTY_TABLE,
                StoreOptions.USER_TABLE,
                NOVELTY_REGIONS,
                USER_SPLITS,
                NOVELTY_TTL_DAYS);
    }

    /**
     * The layout the options describe.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static HBaseLayout layout(Configuration conf) {
        int ttlDays = conf.get(NOVELTY_TTL_DAYS);
        if (ttlDays < 0) {
            throw new IllegalArgumentException(
                    NOVELTY_TTL_DAYS.key() + " must be >= 0, got " + ttlDays);
        }
        try {
            List<String> userSplits = new ArrayList<>();
            for (String s : conf.get(USER_SPLITS).split(",")) {
                if (!s.isBlank()) {
                    userSplits.add(s.trim());
                }
            }
            return new HBaseLayout(
                    TableName.valueOf(conf.get(StoreOptions.NOVELTY_TABLE)),
                    TableName.valueOf(conf.get(StoreOptions.USER_TABLE)),
                    Duration.ofDays(ttlDays),
                    HBaseLayout.csidCodeSplits(conf.get(NOVELTY_REGIONS)),
                    userSplits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hbase-init: " + e.getMessage(), e);
        }
    }

    /**
     * Connects to the cluster the options name and creates what is missing.
     *
     * @return one line per namespace and table saying what was done
     * @throws IllegalArgumentException for wrong options
     * @throws IllegalStateException when HBase cannot be reached or refuses
     */
    public static List<String> run(Configuration conf) {
        HBaseLayout layout = layout(conf);
        StoreSettings settings = settings(conf);
        try (Connection connection =
                        ConnectionFactory.createConnection(
                                OpenedStores.hbaseConfiguration(settings));
                Admin admin = connection.getAdmin()) {
            return HBaseTables.initialize(admin, layout);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException(
                    "cannot initialize HBase (" + settings.describe() + "): " + e.getMessage(), e);
        }
    }

    /** The HBase settings of the options (the quorum is required). */
    static StoreSettings settings(Configuration conf) {
        String quorum = HBaseClientOptions.quorum(conf, NAME);
        try {
            return HBaseClientOptions.apply(StoreSettings.hbase(quorum), conf);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store options: " + e.getMessage(), e);
        }
    }
}
