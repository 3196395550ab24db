package org.coea.stores.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.NoveltyStore.CycleWriter;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link NoveltyStore} implementation must show; a test class implements {@link
 * #noveltyStore()} (a fresh, empty store per test) and {@link #reopenNoveltyStore()}.
 */
public interface NoveltyStoreContract {

    /** The store under test; empty at the start of each test. */
    NoveltyStore noveltyStore();

    /**
     * Re-creates the tables (or reopens the directory) and returns the store over the same data.
     */
    NoveltyStore reopenNoveltyStore();

    @Test
    default void missingKeyIsEmptyBeforeAndAfterTheFirstCycle() {
        NoveltyStore store = noveltyStore();
        NoveltyKey key = StoreData.keys(1, 1).get(0);
        assertThat(store.currentVersion()).as("version before any commit").isEmpty();
        assertThat(store.get(key)).as("get before any commit").isEmpty();
        try (CycleWriter w = store.beginCycle(1)) {
            NoveltyKey other = StoreData.keys(2, 2).get(1);
            w.put(other, StoreData.entry(other, "m1", 3));
            w.commit();
        }
        assertThat(store.get(key)).as("key never written").isEmpty();
    }

    @Test
    default void committedCycleReadsBackAndReplacesThePrevious() {
        NoveltyStore store = noveltyStore();
        List<NoveltyKey> keys = StoreData.keys(20, 3);
        write(store, 5, keys, "m5");
        assertThat(store.currentVersion()).hasValue(5);
        for (NoveltyKey k : keys) {
            assertThat(store.get(k)).as("key %s", k).hasValue(StoreData.entry(k, "m5", 4));
        }
        write(store, 6, keys.subList(0, 10), "m6");
        assertThat(store.currentVersion()).hasValue(6);
        assertThat(store.get(keys.get(0))).hasValue(StoreData.entry(keys.get(0), "m6", 4));
        assertThat(store.get(keys.get(15)))
                .as("a key absent from cycle 6 is gone, not read from cycle 5")
                .isEmpty();
    }

    @Test
    default void uncommittedOrAbandonedCycleIsInvisible() {
        NoveltyStore store = noveltyStore();
        List<NoveltyKey> keys = StoreData.keys(10, 4);
        write(store, 1, keys, "m1");
        try (CycleWriter w = store.beginCycle(2)) {
            for (NoveltyKey k : keys) {
                w.put(k, StoreData.entry(k, "m2", 4));
            }
            assertThat(store.get(keys.get(0))).hasValue(StoreData.entry(keys.get(0), "m1", 4));
        }
        assertThat(store.currentVersion()).hasValue(1);
        assertThat(store.get(keys.get(0))).hasValue(StoreData.entry(keys.get(0), "m1", 4));
        // the abandoned version may be written again, without leftovers of the first attempt
        write(store, 2, keys.subList(0, 1), "m2b");
        assertThat(store.get(keys.get(0))).hasValue(StoreData.entry(keys.get(0), "m2b", 4));
        assertThat(store.get(keys.get(1))).isEmpty();
    }

    @Test
    default void versionsMustIncreaseAndOneWriterAtATime() {
        NoveltyStore store = noveltyStore();
        write(store, 3, StoreData.keys(2, 5), "m3");
        assertThatThrownBy(() -> store.beginCycle(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        try (CycleWriter w = store.beginCycle(4)) {
            assertThat(w.version()).isEqualTo(4);
            assertThatThrownBy(() -> store.beginCycle(5))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cycle 4");
        }
    }

    @Test
    default void batchWriteOfThousandsOfRows() {
        NoveltyStore store = noveltyStore();
        List<NoveltyKey> keys = StoreData.keys(3000, 6);
        write(store, 1, keys, "m1");
        int found = 0;
        for (NoveltyKey k : keys) {
            Optional<NoveltyEntry> e = store.get(k);
            if (e.isPresent() && e.get().equals(StoreData.entry(k, "m1", 4))) {
                found++;
            }
        }
        assertThat(found).as("rows read back intact").isEqualTo(keys.size());
    }

    @Test
    default void readerDuringRewriteSeesOnlyWholeCommittedVersions() throws Exception {
        NoveltyStore store = noveltyStore();
        List<NoveltyKey> oldKeys = StoreData.keys(300, 7);
        List<NoveltyKey> newKeys = StoreData.keys(600, 8).subList(300, 600);
        write(store, 1, oldKeys, "m1");

        AtomicInteger phase = new AtomicInteger(0); // 0 before commit(), 1 during, 2 after
        AtomicBoolean stop = new AtomicBoolean();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader =
                new Thread(
                        () -> {
                            started.countDown();
                            boolean sawNew = false;
                            while (!stop.get()) {
                                for (int i = 0; i < 50 && !stop.get(); i++) {
                                    int p = phase.get();
                                    NoveltyKey oldKey = oldKeys.get(i * 3);
                                    NoveltyKey newKey = newKeys.get(i * 3);
                                    Optional<NoveltyEntry> o = store.get(oldKey);
                                    Optional<NoveltyEntry> n = store.get(newKey);
                                    int after = phase.get();
                                    NoveltyEntry m1 = StoreData.entry(oldKey, "m1", 4);
                                    NoveltyEntry m2 = StoreData.entry(newKey, "m2", 4);
                                    boolean oldView = o.equals(Optional.of(m1)) && n.isEmpty();
                                    boolean newView = o.isEmpty() && n.equals(Optional.of(m2));
                                    if (!o.isEmpty() && !o.get().equals(m1)
                                            || !n.isEmpty() && !n.get().equals(m2)
                                            || o.isEmpty() && n.isEmpty()) {
                                        violations.add("mixed read: old=" + o + " new=" + n);
                                    }
                                    if (after == 0 && !oldView) {
                                        violations.add(
                                                "cycle 2 before commit: old=" + o + " new=" + n);
                                    }
                                    if (p == 2 && !newView) {
                                        violations.add(
                                                "cycle 1 after commit: old=" + o + " new=" + n);
                                    }
                                    if (newView) {
                                        sawNew = true;
                                    } else if (sawNew && oldView) {
                                        violations.add("went back to cycle 1 after cycle 2");
                                    }
                                    reads.incrementAndGet();
                                }
                            }
                        },
                        "store-reader");
        reader.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        int readsBefore;
        try (CycleWriter w = store.beginCycle(2)) {
            for (NoveltyKey k : newKeys) {
                w.put(k, StoreData.entry(k, "m2", 4));
            }
            Thread.sleep(300); // rows of cycle 2 are flushed; the reader must still see cycle 1
            readsBefore = reads.get();
            phase.set(1);
            w.commit();
            phase.set(2);
        }
        int readsAtCommit = reads.get();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < until || reads.get() < readsAtCommit + 20) {
            Thread.sleep(10);
        }
        stop.set(true);
        reader.join(10_000);
        assertThat(violations).as("reads that saw a half-written cycle").isEmpty();
        assertThat(readsBefore).as("reads while cycle 2 was being written").isPositive();
        assertThat(reads.get()).as("reads after the commit").isGreaterThan(readsAtCommit);
    }

    @Test
    default void reopeningKeepsTheCommittedVersion() {
        NoveltyStore store = noveltyStore();
        List<NoveltyKey> keys = StoreData.keys(10, 9);
        write(store, 7, keys, "m7");
        NoveltyStore again = reopenNoveltyStore();
        assertThat(again.currentVersion()).hasValue(7);
        assertThat(again.get(keys.get(3))).hasValue(StoreData.entry(keys.get(3), "m7", 4));
        NoveltyStore third = reopenNoveltyStore();
        assertThat(third.get(keys.get(4))).hasValue(StoreData.entry(keys.get(4), "m7", 4));
    }

    /**
     * Writes and commits one cycle of {@code keys}, each with a 4-category entry of {@code model}.
     */
    static void write(NoveltyStore store, long version, List<NoveltyKey> keys, String model) {
        try (CycleWriter w = store.beginCycle(version)) {
            for (NoveltyKey k : keys) {
                w.put(k, StoreData.entry(k, model, 4));
            }
            w.commit();
        }
    }
}
