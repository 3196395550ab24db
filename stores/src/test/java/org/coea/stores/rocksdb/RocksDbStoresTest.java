package org.coea.stores.rocksdb;

import java.nio.file.Path;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.UserStore;
import org.coea.stores.testutils.NoveltyStoreContract;
import org.coea.stores.testutils.UserStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts on RocksDB, one fresh DB directory per test. */
class RocksDbStoresTest implements NoveltyStoreContract, UserStoreContract {
    @TempDir Path dir;
    private RocksDbStores stores;

    @BeforeEach
    void open() {
        stores = RocksDbStores.builder().setPath(dir.resolve("db")).optBatchSize(100).build();
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Override
    public NoveltyStore noveltyStore() {
        return stores.noveltyStore();
    }

    @Override
    public NoveltyStore reopenNoveltyStore() {
        return reopen().noveltyStore();
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
        return reopen().userStore();
    }

    private RocksDbStores reopen() {
        stores.close();
        stores = RocksDbStores.builder().setPath(dir.resolve("db")).build();
        return stores;
    }
}
