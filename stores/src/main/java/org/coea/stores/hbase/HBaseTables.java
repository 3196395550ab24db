package org.coea.stores.hbase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.NamespaceExistException;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The HBase table layout of the stores and an idempotent way to create it.
 *
 * <p>Novelty table: family {@code n}, one version per cell; row = the composite key {@code
 * CSID:hash}; qualifier = the 8-byte slot of a cycle; the pointer row {@code \0pointer} holds the
 * current version and slot. User table: family {@code u}; row = the user id; qualifier {@code s} =
 * the encoded state; row {@code \0default}, qualifier {@code csid} = the default CSID.
 */
public final class HBaseTables {
    /** Default name of the novelty table. */
    public static final TableName DEFAULT_NOVELTY_TABLE = TableName.valueOf("coea_novelty");

    /** Default name of the user table. */
    public static final TableName DEFAULT_USER_TABLE = TableName.valueOf("coea_users");

    static final byte[] NOVELTY_FAMILY = Bytes.toBytes("n");
    static final byte[] USER_FAMILY = Bytes.toBytes("u");

    private HBaseTables() {}

    /**
     * Creates the novelty and user tables unless they exist; without a TTL on the novelty rows.
     *
     * @return the tables it created (empty when both existed)
     */
    public static List<TableName> createIfMissing(
            Admin admin, TableName noveltyTable, TableName userTable) {
        return createIfMissing(admin, noveltyTable, userTable, Duration.ZERO);
    }

    /**
     * Creates the novelty and user tables unless they exist. Safe to call again and from several
     * processes at once.
     *
     * @param noveltyTtl time to live of novelty cells, a guard against rows that no cycle rewrites
     *     any more; {@link Duration#ZERO} for none. Must exceed the longest gap between cycles.
     * @return the tables it created (empty when both existed)
     */
    public static List<TableName> createIfMissing(
            Admin admin, TableName noveltyTable, TableName userTable, Duration noveltyTtl) {
        if (noveltyTtl.isNegative()) {
            throw new IllegalArgumentException("novelty TTL must be >= 0, got " + noveltyTtl);
        }
        int ttl = ttlSeconds(noveltyTtl);
        List<TableName> created = new ArrayList<>();
        if (create(admin, noveltyTable, NOVELTY_FAMILY, ttl)) {
            created.add(noveltyTable);
        }
        if (create(admin, userTable, USER_FAMILY, HConstants.FOREVER)) {
            created.add(userTable);
        }
        return created;
    }

    /**
     * Creates what the layout names unless it exists: the tables' namespaces, then each table
     * pre-split at its split keys. Leaves existing namespaces and tables as they are (it never
     * alters or splits them), so a second run changes nothing.
     *
     * @return one line per namespace and table saying what was done, e.g. {@code created table
     *     coea:novelty (family n, versions 1, TTL 864000 s, 16 regions)} or {@code table coea:users
     *     exists, left as it is}
     */
    public static List<String> initialize(Admin admin, HBaseLayout layout) {
        List<String> report = new ArrayList<>();
        for (String ns :
                new TreeSet<>(
                        List.of(
                                layout.noveltyTable().getNamespaceAsString(),
                                layout.userTable().getNamespaceAsString()))) {
            report.add(createNamespace(admin, ns));
        }
        int ttl = ttlSeconds(layout.noveltyTtl());
        report.add(
                describe(
                        layout.noveltyTable(),
                        NOVELTY_FAMILY,
                        ttl,
                        layout.noveltySplits().size() + 1,
                        create(
                                admin,
                                layout.noveltyTable(),
                                NOVELTY_FAMILY,
                                ttl,
                                splitKeys(layout.noveltySplits()))));
        report.add(
                describe(
                        layout.userTable(),
                        USER_FAMILY,
                        HConstants.FOREVER,
                        layout.userSplits().size() + 1,
                        create(
                                admin,
                                layout.userTable(),
                                USER_FAMILY,
                                HConstants.FOREVER,
                                splitKeys(layout.userSplits()))));
        return report;
    }

    /** The family name of the novelty table ({@code n}). */
    public static String noveltyFamily() {
        return Bytes.toString(NOVELTY_FAMILY);
    }

    /** The family name of the user table ({@code u}). */
    public static String userFamily() {
        return Bytes.toString(USER_FAMILY);
    }

    private static String createNamespace(Admin admin, String ns) {
        if (ns.equals(NamespaceDescriptor.DEFAULT_NAMESPACE_NAME_STR)) {
            return "namespace default exists, left as it is";
        }
        try {
            if (Arrays.asList(admin.listNamespaces()).contains(ns)) {
                return "namespace " + ns + " exists, left as it is";
            }
            admin.createNamespace(NamespaceDescriptor.create(ns).build());
            return "created namespace " + ns;
        } catch (NamespaceExistException e) {
            return "namespace " + ns + " exists, left as it is";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create HBase namespace " + ns + ": " + e, e);
        }
    }

    private static String describe(
            TableName table, byte[] family, int ttl, int regions, boolean created) {
        if (!created) {
            return "table " + table.getNameAsString() + " exists, left as it is";
        }
        return "created table "
                + table.getNameAsString()
                + " (family "
                + Bytes.toString(family)
                + ", versions "
                + HBaseLayout.MAX_VERSIONS
                + ", TTL "
                + (ttl == HConstants.FOREVER ? "forever" : ttl + " s")
                + ", "
                + regions
                + (regions == 1 ? " region)" : " regions)");
    }

    private static int ttlSeconds(Duration ttl) {
        return ttl.isZero()
                ? HConstants.FOREVER
                : (int) Math.min(Integer.MAX_VALUE, Math.max(1, ttl.toSeconds()));
    }

    private static byte[][] splitKeys(List<String> splits) {
        byte[][] keys = new byte[splits.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = splits.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return keys;
    }

    private static boolean create(Admin admin, TableName table, byte[] family, int ttl) {
        return create(admin, table, family, ttl, new byte[0][]);
    }

    private static boolean create(
            Admin admin, TableName table, byte[] family, int ttl, byte[][] splitKeys) {
        try {
            if (admin.tableExists(table)) {
                return false;
            }
            TableDescriptor descriptor =
                    TableDescriptorBuilder.newBuilder(table)
                            .setColumnFamily(
                                    ColumnFamilyDescriptorBuilder.newBuilder(family)
                                            .setMaxVersions(HBaseLayout.MAX_VERSIONS)
                                            .setTimeToLive(ttl)
                                            .build())
                            .build();
            if (splitKeys.length == 0) {
                admin.createTable(descriptor);
            } else {
                admin.createTable(descriptor, splitKeys);
            }
            return true;
        } catch (TableExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create HBase table " + table + ": " + e, e);
        }
    }
}
