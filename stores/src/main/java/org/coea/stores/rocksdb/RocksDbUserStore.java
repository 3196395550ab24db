package org.coea.stores.rocksdb;

import static org.coea.stores.rocksdb.RocksDbNoveltyStore.call;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.StoreCodec;
import org.coea.common.store.UserIds;
import org.coea.common.store.UserState;
import org.coea.common.store.UserStore;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The user store on RocksDB: the {@code users} column family maps the UTF-8 user id to the encoded
 * {@link UserState}; the default CSID is {@code users.default-csid} in {@code meta}.
 */
final class RocksDbUserStore implements UserStore {
    private static final byte[] DEFAULT_CSID =
            "users.default-csid".getBytes(StandardCharsets.UTF_8);

    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle users;
    private final int batchSize;

    RocksDbUserStore(RocksDB db, ColumnFamilyHandle meta, ColumnFamilyHandle users, int batchSize) {
        this.db = db;
        this.meta = meta;
        this.users = users;
        this.batchSize = batchSize;
    }

    @Override
    public void put(String userId, UserState state) {
        byte[] key = key(userId);
        java.util.Objects.requireNonNull(state, () -> "state of user " + userId);
        byte[] value = StoreCodec.encode(state);
        call(
                () -> {
                    db.put(users, key, value);
                    return null;
                });
    }

    @Override
    public void putAll(Map<String, UserState> states) {
        WriteBatch batch = new WriteBatch();
        try (WriteOptions options = new WriteOptions()) {
            int n = 0;
            for (Map.Entry<String, UserState> e : states.entrySet()) {
                java.util.Objects.requireNonNull(e.getValue(), () -> "state of user " + e.getKey());
                batch.put(users, key(e.getKey()), StoreCodec.encode(e.getValue()));
                if (++n % batchSize == 0) {
                    db.write(options, batch);
                    batch.close();
                    batch = new WriteBatch();
                }
            }
            db.write(options, batch);
        } catch (org.rocksdb.RocksDBException e) {
            throw new IllegalStateException("RocksDB: cannot write users: " + e.getMessage(), e);
        } finally {
            batch.close();
        }
    }

    @Override
    public Optional<UserState> get(String userId) {
        byte[] value = call(() -> db.get(users, key(userId)));
        return value == null ? Optional.empty() : Optional.of(StoreCodec.decodeUser(userId, value));
    }

    @Override
    public void putDefaultCsid(GroupCsid csid) {
        call(
                () -> {
                    db.put(meta, DEFAULT_CSID, csid.toString().getBytes(StandardCharsets.UTF_8));
                    return null;
                });
    }

    @Override
    public Optional<GroupCsid> defaultCsid() {
        byte[] value = call(() -> db.get(meta, DEFAULT_CSID));
        return value == null
                ? Optional.empty()
                : Optional.of(GroupCsid.parse(new String(value, StandardCharsets.UTF_8)));
    }

    /** Owned by {@link RocksDbStores}; closing it there closes this store. */
    @Override
    public void close() {}

    private static byte[] key(String userId) {
        return UserIds.check(userId).getBytes(StandardCharsets.UTF_8);
    }
}
