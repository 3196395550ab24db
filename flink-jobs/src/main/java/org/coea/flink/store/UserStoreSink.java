package org.coea.flink.store;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.UserState;
import org.coea.common.store.UserStore;
import org.coea.flink.shortterm.ShortTermUpdate;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;

/**
 * Writes each short-term update to the {@link UserStore}: the user's stored CSID (or the default
 * CSID for a user the batch side has not placed yet) with the new set. At-least-once (a restart
 * replays updates since the last checkpoint) but idempotent: a put replaces the user's state, and
 * updates of a user arrive in order. A user with neither a CSID nor a default CSID is counted and
 * skipped, since the store keeps a CSID with every set.
 */
public final class UserStoreSink implements Sink<ShortTermUpdate> {
    private static final long serialVersionUID = 1L;

    /** Counters in the sink's metric group. */
    public static final String WRITTEN_COUNTER = "userStoreWrites";

    public static final String SKIPPED_COUNTER = "userStoreSkippedNoCsid";

    private final StoreSettings settings;

    /** A sink into the stores of these settings. */
    public UserStoreSink(StoreSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public SinkWriter<ShortTermUpdate> createWriter(WriterInitContext context) {
        return new Writer(
                settings,
                context.metricGroup().counter(WRITTEN_COUNTER),
                context.metricGroup().counter(SKIPPED_COUNTER));
    }

    private static final class Writer implements SinkWriter<ShortTermUpdate> {
        private final StoreSettings settings;
        private final UserStore users;
        private final Counter written;
        private final Counter skipped;

        Writer(StoreSettings settings, Counter written, Counter skipped) {
            this.settings = settings;
            OpenedStores stores = SharedStores.acquire(settings);
            this.users = stores.userStore();
            this.written = written;
            this.skipped = skipped;
        }

        @Override
        public void write(ShortTermUpdate update, Context context) {
            String user = Long.toString(update.userId());
            Optional<GroupCsid> csid = users.get(user).map(UserState::csid).or(users::defaultCsid);
            if (csid.isEmpty()) {
                skipped.inc();
                return;
            }
            users.put(user, UserState.of(csid.get(), Arrays.stream(update.set()).boxed().toList()));
            written.inc();
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {
            SharedStores.release(settings);
        }
    }
}
