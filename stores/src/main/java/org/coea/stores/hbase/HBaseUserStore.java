package org.coea.stores.hbase;

import static org.coea.stores.hbase.HBaseTables.USER_FAMILY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.BufferedMutatorParams;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.StoreCodec;
import org.coea.common.store.UserIds;
import org.coea.common.store.UserState;
import org.coea.common.store.UserStore;

/**
 * The user store on HBase: row = user id, cell {@code u:s} = the encoded state; the default CSID is
 * {@code u:csid} of row {@code \0default} (user ids have no control characters, so no user row
 * collides with it).
 */
final class HBaseUserStore implements UserStore {
    private static final byte[] STATE = Bytes.toBytes("s");
    private static final byte[] DEFAULT_ROW = Bytes.toBytes("\0default");
    private static final byte[] CSID = Bytes.toBytes("csid");

    private final Connection connection;
    private final TableName tableName;
    private final long writeBufferBytes;

    HBaseUserStore(Connection connection, TableName tableName, long writeBufferBytes) {
        this.connection = connection;
        this.tableName = tableName;
        this.writeBufferBytes = writeBufferBytes;
    }

    @Override
    public void put(String userId, UserState state) {
        Put put = toPut(userId, state);
        try (Table table = connection.getTable(tableName)) {
            table.put(put);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write user '" + userId + "': " + e, e);
        }
    }

    @Override
    public void putAll(Map<String, UserState> states) {
        try (BufferedMutator mutator =
                connection.getBufferedMutator(
                        new BufferedMutatorParams(tableName).writeBufferSize(writeBufferBytes))) {
            for (Map.Entry<String, UserState> e : states.entrySet()) {
                mutator.mutate(toPut(e.getKey(), e.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + states.size() + " users to " + tableName + ": " + e, e);
        }
    }

    @Override
    public Optional<UserState> get(String userId) {
        byte[] row = Bytes.toBytes(UserIds.check(userId));
        try (Table table = connection.getTable(tableName)) {
            byte[] value =
                    table.get(new Get(row).addColumn(USER_FAMILY, STATE))
                            .getValue(USER_FAMILY, STATE);
            return value == null
                    ? Optional.empty()
                    : Optional.of(StoreCodec.decodeUser(userId, value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read user '" + userId + "': " + e, e);
        }
    }

    @Override
    public void putDefaultCsid(GroupCsid csid) {
        Objects.requireNonNull(csid, "csid");
        try (Table table = connection.getTable(tableName)) {
            table.put(
                    new Put(DEFAULT_ROW)
                            .addColumn(USER_FAMILY, CSID, Bytes.toBytes(csid.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default CSID: " + e, e);
        }
    }

    @Override
    public Optional<GroupCsid> defaultCsid() {
        try (Table table = connection.getTable(tableName)) {
            byte[] value =
                    table.get(new Get(DEFAULT_ROW).addColumn(USER_FAMILY, CSID))
                            .getValue(USER_FAMILY, CSID);
            return value == null
                    ? Optional.empty()
                    : Optional.of(GroupCsid.parse(Bytes.toString(value)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default CSID: " + e, e);
        }
    }

    /** Nothing to release: the connection belongs to the caller. */
    @Override
    public void close() {}

    private static Put toPut(String userId, UserState state) {
        UserIds.check(userId);
        Objects.requireNonNull(state, () -> "state of user " + userId);
        return new Put(Bytes.toBytes(userId))
                .addColumn(USER_FAMILY, STATE, StoreCodec.encode(state));
    }
}
