package org.coea.flink.store;

import java.util.HashMap;
import java.util.Map;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;

/**
 * Stores opened once per JVM and settings, shared by the parallel subtasks of a TaskManager: the
 * embedded RocksDB store allows one open handle per directory and process, and one HBase connection
 * per process is what HBase recommends. Reference-counted: the last release closes.
 */
public final class SharedStores {
    private static final Map<StoreSettings, Entry> OPEN = new HashMap<>();

    private SharedStores() {}

    private static final class Entry {
        final OpenedStores stores;
        int users;

        Entry(OpenedStores stores) {
            this.stores = stores;
        }
    }

    /** Opens (or shares) the stores of the settings; pair with {@link #release}. */
    public static synchronized OpenedStores acquire(StoreSettings settings) {
        Entry e = OPEN.get(settings);
        if (e == null) {
            e = new Entry(OpenedStores.open(settings));
            OPEN.put(settings, e);
        }
        e.users++;
        return e.stores;
    }

    /** Releases one acquisition; closes the stores when it was the last. */
    public static synchronized void release(StoreSettings settings) {
        Entry e = OPEN.get(settings);
        if (e == null) {
            return;
        }
        if (--e.users == 0) {
            OPEN.remove(settings);
            e.stores.close();
        }
    }
}
