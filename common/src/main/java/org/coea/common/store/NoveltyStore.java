package org.coea.common.store;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Short-term key to ranked novel categories, rewritten as a whole once per cycle.
 *
 * <p>A cycle is written through a {@link CycleWriter} and becomes visible in one step at {@link
 * CycleWriter#commit()}: readers see the previous committed version until then and the new one
 * after, never a mix. Implementations keep a few committed versions (the current one and at least
 * one before it, so that a read that started before a switch still finds its rows) and remove older
 * ones after a commit. One writer at a time per store.
 */
public interface NoveltyStore extends AutoCloseable {

    /**
     * Starts writing cycle {@code version}. Rows left by an earlier, uncommitted attempt at the
     * same version are removed first, so a killed cycle can be rerun.
     *
     * @throws IllegalArgumentException when {@code version} is not greater than the current one
     * @throws IllegalStateException when another writer of this store is open
     */
    CycleWriter beginCycle(long version);

    /** The entry of {@code key} in the current committed version; empty when absent. */
    Optional<NoveltyEntry> get(NoveltyKey key);

    /** The current committed version; empty before the first commit. */
    OptionalLong currentVersion();

    @Override
    void close();

    /** Writes one cycle's rows; invisible to readers until {@link #commit()}. */
    interface CycleWriter extends AutoCloseable {
        /** The version this writer writes. */
        long version();

        /** Adds (or replaces) the entry of {@code key} in this cycle; buffered and batched. */
        void put(NoveltyKey key, NoveltyEntry entry);

        /** Flushes, then makes this version current in one atomic step. */
        void commit();

        /**
         * Closes the writer; without a prior commit the cycle is abandoned and its rows removed.
         */
        @Override
        void close();
    }
}
