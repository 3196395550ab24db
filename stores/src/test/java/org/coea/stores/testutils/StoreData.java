package org.coea.stores.testutils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.UserState;

/** Seeded keys, entries and users for the store tests and the benchmark. */
public final class StoreData {
    private StoreData() {}

    /** The CSID of group {@code i} (two levels of 16 codes). */
    public static GroupCsid csid(int i) {
        return GroupCsid.of((i / 16) % 16, i % 16);
    }

    /** {@code n} distinct novelty keys, seeded. */
    public static List<NoveltyKey> keys(int n, long seed) {
        Random random = new Random(seed);
        List<NoveltyKey> keys = new ArrayList<>(n);
        Set<NoveltyKey> seen = new java.util.HashSet<>();
        while (keys.size() < n) {
            NoveltyKey k = NoveltyKey.of(csid(random.nextInt(256)), shortSet(random));
            if (seen.add(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** A ranked entry of {@code size} categories for {@code key}, tagged with {@code model}. */
    public static NoveltyEntry entry(NoveltyKey key, String model, int size) {
        Random random = new Random(key.setHash() ^ model.hashCode());
        List<NovelCategory> categories = new ArrayList<>(size);
        Set<Integer> used = new TreeSet<>();
        double score = 1.0;
        while (categories.size() < size) {
            int id = random.nextInt(300);
            if (used.add(id)) {
                score -= random.nextDouble() * 0.05;
                categories.add(new NovelCategory(id, score));
            }
        }
        return new NoveltyEntry(categories, model);
    }

    /** {@code n} users {@code "u0".."u(n-1)"} with seeded states. */
    public static Map<String, UserState> users(int n, long seed) {
        Random random = new Random(seed);
        Map<String, UserState> users = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            users.put("u" + i, UserState.of(csid(random.nextInt(256)), shortSet(random)));
        }
        return users;
    }

    private static Set<Integer> shortSet(Random random) {
        Set<Integer> set = new TreeSet<>();
        int size = 1 + random.nextInt(5);
        while (set.size() < size) {
            set.add(random.nextInt(300));
        }
        return set;
    }
}
