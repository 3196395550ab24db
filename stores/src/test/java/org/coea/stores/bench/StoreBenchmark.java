package org.coea.stores.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.NoveltyStore.CycleWriter;
import org.coea.common.store.UserState;
import org.coea.common.store.UserStore;
import org.coea.stores.hbase.HBaseStores;
import org.coea.stores.hbase.HBaseTables;
import org.coea.stores.rocksdb.RocksDbStores;
import org.coea.stores.testutils.HBaseMini;
import org.coea.stores.testutils.StoreData;

/**
 * Measures the stores: batch-write rows/s of one novelty cycle and of a user {@code putAll}, and
 * the p50/p99 latency of single gets, on RocksDB and on HBase (an in-process mini cluster).
 *
 * <p>Arguments: {@code [--rows N] [--gets N] [--backend rocksdb|hbase|all]}.
 */
public final class StoreBenchmark {
    private StoreBenchmark() {}

    /** Runs the benchmark and prints one line per store and figure. */
    public static void main(String[] args) throws Exception {
        int rows = 50_000;
        int gets = 20_000;
        String backend = "all";
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(value);
                case "--gets" -> gets = Integer.parseInt(value);
                case "--backend" -> backend = value;
                default -> {
                    System.err.println(
                            "usage: coea-bench-stores [--rows N] [--gets N]"
                                    + " [--backend rocksdb|hbase|all]");
                    System.exit(2);
                }
            }
        }
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "rows=%d gets=%d", rows, gets));
        if (backend.equals("all") || backend.equals("rocksdb")) {
            Path dir = Files.createTempDirectory("coea-bench-rocksdb");
            try (RocksDbStores stores = RocksDbStores.builder().setPath(dir).build()) {
                run("rocksdb", stores.noveltyStore(), stores.userStore(), rows, gets, report);
            }
        }
        if (backend.equals("all") || backend.equals("hbase")) {
            try (HBaseMini hbase = HBaseMini.start()) {
                TableName novelty = TableName.valueOf("bench_novelty");
                TableName users = TableName.valueOf("bench_users");
                try (Admin admin = hbase.connection().getAdmin()) {
                    HBaseTables.createIfMissing(admin, novelty, users);
                }
                HBaseStores stores =
                        HBaseStores.builder()
                                .setConnection(hbase.connection())
                                .optNoveltyTable(novelty)
                                .optUserTable(users)
                                .build();
                run("hbase-mini", stores.noveltyStore(), stores.userStore(), rows, gets, report);
            }
        }
        System.out.println();
        report.forEach(System.out::println);
    }

    private static void run(
            String name,
            NoveltyStore novelty,
            UserStore users,
            int rows,
            int gets,
            List<String> report) {
        List<NoveltyKey> keys = StoreData.keys(rows, 42);
        List<NoveltyEntry> entries = new ArrayList<>(rows);
        for (NoveltyKey k : keys) {
            entries.add(StoreData.entry(k, "bench", 10));
        }
        long version = novelty.currentVersion().orElse(0) + 1;
        long t0 = System.nanoTime();
        try (CycleWriter w = novelty.beginCycle(version)) {
            for (int i = 0; i < rows; i++) {
                w.put(keys.get(i), entries.get(i));
            }
            w.commit();
        }
        double writeSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, UserState> userStates = StoreData.users(rows, 43);
        long t1 = System.nanoTime();
        users.putAll(userStates);
        double userSeconds = (System.nanoTime() - t1) / 1e9;

        Random random = new Random(44);
        int warmup = Math.min(2000, gets);
        for (int i = 0; i < warmup; i++) {
            novelty.get(keys.get(random.nextInt(rows)));
        }
        long[] nanos = new long[gets];
        int hits = 0;
        for (int i = 0; i < gets; i++) {
            NoveltyKey k = keys.get(random.nextInt(rows));
            long s = System.nanoTime();
            hits += novelty.get(k).isPresent() ? 1 : 0;
            nanos[i] = System.nanoTime() - s;
        }
        Arrays.sort(nanos);
        if (hits != gets) {
            throw new IllegalStateException(name + ": " + (gets - hits) + " gets missed");
        }
        report.add(
                String.format(
                        Locale.ROOT,
                        "%-10s novelty cycle write: %d rows in %.2f s = %.0f rows/s (incl. commit)",
                        name,
                        rows,
                        writeSeconds,
                        rows / writeSeconds));
        report.add(
                String.format(
                        Locale.ROOT,
                        "%-10s user putAll:          %d rows in %.2f s = %.0f rows/s",
                        name,
                        rows,
                        userSeconds,
                        rows / userSeconds));
        report.add(
                String.format(
                        Locale.ROOT,
                        "%-10s novelty get:          p50 %.1f us, p99 %.1f us (%d gets)",
                        name,
                        percentile(nanos, 0.50) / 1e3,
                        percentile(nanos, 0.99) / 1e3,
                        gets));
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
