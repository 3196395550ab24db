package org.coea.stores.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserStore;
import org.coea.stores.testutils.HBaseMini;
import org.coea.stores.testutils.NoveltyStoreContract;
import org.coea.stores.testutils.UserStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contracts on a real HBase: a mini cluster in the test JVM, fresh tables per test. */
class HBaseStoresITCase implements NoveltyStoreContract, UserStoreContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static HBaseMini hbase;
    private TableName noveltyTable;
    private TableName userTable;
    private HBaseStores stores;

    @BeforeAll
    static void startHBase() throws Exception {
        hbase = HBaseMini.start();
    }

    @AfterAll
    static void stopHBase() throws Exception {
        if (hbase != null) {
            hbase.close();
        }
    }

    @BeforeEach
    void createTables() throws Exception {
        int n = TABLES.incrementAndGet();
        noveltyTable = TableName.valueOf("novelty_" + n);
        userTable = TableName.valueOf("users_" + n);
        try (Admin admin = connection().getAdmin()) {
            assertThat(HBaseTables.createIfMissing(admin, noveltyTable, userTable))
                    .containsExactly(noveltyTable, userTable);
        }
        stores = open();
    }

    @Test
    void createIfMissingIsIdempotent() throws Exception {
        try (Admin admin = connection().getAdmin()) {
            assertThat(HBaseTables.createIfMissing(admin, noveltyTable, userTable)).isEmpty();
            assertThat(admin.tableExists(noveltyTable)).isTrue();
            assertThat(admin.tableExists(userTable)).isTrue();
        }
    }

    @Override
    public NoveltyStore noveltyStore() {
        return stores.noveltyStore();
    }

    @Override
    public NoveltyStore reopenNoveltyStore() {
        return recreate().noveltyStore();
    }

    @Override
    public UserStore userStore() {
        return stores.userStore();
    }

    @Override
    public NoveltyStore noveltyStoreForRetriever() {
        return stores.noveltyStore();
    }

    @Override
    public UserStore reopenUserStore() {
        return recreate().userStore();
    }

    private HBaseStores recreate() {
        try (Admin admin = connection().getAdmin()) {
            assertThat(HBaseTables.createIfMissing(admin, noveltyTable, userTable))
                    .as("tables created again")
                    .isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return open();
    }

    private HBaseStores open() {
        return HBaseStores.builder()
                .setConnection(connection())
                .optNoveltyTable(noveltyTable)
                .optUserTable(userTable)
                .optWriteBufferBytes(4 * 1024) // small, so cycles reach the table before commit
                .build();
    }

    private static Connection connection() {
        return hbase.connection();
    }
}
