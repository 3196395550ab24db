package org.coea.stores.hbase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
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
        int ttl =
                noveltyTtl.isZero()
                        ? HConstants.FOREVER
                        : (int) Math.min(Integer.MAX_VALUE, noveltyTtl.toSeconds());
        List<TableName> created = new ArrayList<>();
        if (create(admin, noveltyTable, NOVELTY_FAMILY, ttl)) {
            created.add(noveltyTable);
        }
        if (create(admin, userTable, USER_FAMILY, HConstants.FOREVER)) {
            created.add(userTable);
        }
        return created;
    }

    private static boolean create(Admin admin, TableName table, byte[] family, int ttl) {
        try {
            if (admin.tableExists(table)) {
                return false;
            }
            admin.createTable(
                    TableDescriptorBuilder.newBuilder(table)
                            .setColumnFamily(
                                    ColumnFamilyDescriptorBuilder.newBuilder(family)
                                            .setMaxVersions(1)
                                            .setTimeToLive(ttl)
                                            .build())
                            .build());
            return true;
        } catch (TableExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create HBase table " + table + ": " + e, e);
        }
    }
}
