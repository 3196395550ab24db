package org.coea.spark.pco;

import java.util.OptionalLong;

/**
 * Where {@code pco-cycle} publishes each cycle's kept categories: the {@code store} stage's
 * versioned rewrite of the configured NoveltyStore (and the UserStore).
 */
interface CycleStore {
    /** The store's current version, empty before the first write. */
    OptionalLong currentVersion();

    /**
     * Writes the warehouse's {@code novel_categories} (whose rows carry the version) to the store.
     */
    void write();
}
