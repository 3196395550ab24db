package org.coea.flink.testutils;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.coea.common.model.Item;
import org.coea.common.sequence.ShortTermWindow;
import org.coea.flink.items.ItemCategories;
import org.coea.flink.shortterm.ShortTermUpdate;

/**
 * Seeded click data for the streaming tests: an items table, good click records keyed by user (so
 * each user's clicks stay in order within one partition), one bad record of every reject kind, and
 * the reference outputs computed with the batch rule.
 */
public final class ClickData {
    /** Epoch seconds of the first click (2025-04-02). */
    public static final long START = 1_743_552_000L;

    /** Category names; ids are their sorted positions. */
    public static final List<String> CATEGORIES =
            List.of("c00", "c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09");

    /** The bad records and the reason each one's dead letter carries. */
    public static final Map<String, String> BAD = new LinkedHashMap<>();

    static {
        BAD.put("user=7", "not JSON");
        BAD.put("[1]", "not a JSON object");
        BAD.put("{\"item\": 4, \"ts\": 1743552000}", "missing user id");
        BAD.put("{\"user\": 7, \"item\": 4, \"ts\": \"soon\"}", "bad timestamp 'soon'");
        BAD.put("{\"user\": 7, \"item\": 4, \"ts\": 1, \"category\": 3}", "non-text category '3'");
        BAD.put(
                "{\"user\": 7, \"item\": 9999, \"ts\": 1743552000}",
                "unknown item 9999 and the click carries no category");
        BAD.put(
                "{\"user\": 7, \"item\": 9999, \"ts\": 1743552000, \"category\": \"nope\"}",
                "unknown item 9999 with unknown category 'nope'");
    }

    /** One good click as sent. */
    public record Sent(long user, long item, long ts, String json) {}

    private final List<Item> items = new ArrayList<>();
    private final List<Sent> good = new ArrayList<>();

    /**
     * @param users number of users
     * @param clicks number of good clicks
     * @param jitterSeconds how far a click's timestamp may run behind its user's previous one
     * @param seed the seed
     */
    public ClickData(int users, int clicks, long jitterSeconds, long seed) {
        Random random = new Random(seed);
        for (int i = 1; i <= 40; i++) {
            List<String> cats = new ArrayList<>();
            cats.add(CATEGORIES.get(random.nextInt(CATEGORIES.size())));
            if (random.nextBoolean()) {
                String second = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
                if (!cats.contains(second)) {
                    cats.add(second);
                }
            }
            items.add(new Item(i, "item " + i, cats));
        }
        long[] clock = new long[users + 1];
        for (int u = 1; u <= users; u++) {
            clock[u] = START + random.nextInt(600);
        }
        for (int i = 0; i < clicks; i++) {
            int user = 1 + random.nextInt(users);
            int item = 1 + random.nextInt(items.size());
            clock[user] += 1 + random.nextInt(60);
            long ts = clock[user] - (jitterSeconds == 0 ? 0 : random.nextInt((int) jitterSeconds));
            String json = "{\"user\": " + user + ", \"item\": " + item + ", \"ts\": " + ts + "}";
            good.add(new Sent(user, item, ts, json));
        }
    }

    /** The items table. */
    public ItemCategories items() {
        return ItemCategories.of(items);
    }

    /** The good clicks in send order. */
    public List<Sent> good() {
        return good;
    }

    /**
     * Every record to send, keyed by user (bad ones by "bad"), with the bad records spread through
     * the good ones.
     */
    public List<Map.Entry<String, String>> records() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        List<String> bad = new ArrayList<>(BAD.keySet());
        int every = Math.max(1, good.size() / (bad.size() + 1));
        for (int i = 0; i < good.size(); i++) {
            Sent s = good.get(i);
            out.add(new AbstractMap.SimpleEntry<>(Long.toString(s.user()), s.json()));
            if (i % every == every - 1 && !bad.isEmpty()) {
                out.add(new AbstractMap.SimpleEntry<>("bad", bad.remove(0)));
            }
        }
        bad.forEach(b -> out.add(new AbstractMap.SimpleEntry<>("bad", b)));
        return out;
    }

    /**
     * The updates the job must emit per user, from the batch rule: after each of a user's clicks
     * (in send order), the set of the last n of the distinct clicks so far; an update whenever it
     * changes.
     */
    public Map<Long, List<ShortTermUpdate>> expectedUpdates(int n) {
        ItemCategories table = items();
        Map<Long, List<ShortTermWindow.Click>> seen = new LinkedHashMap<>();
        Map<Long, List<ShortTermUpdate>> out = new LinkedHashMap<>();
        for (Sent s : good) {
            List<ShortTermWindow.Click> mine =
                    seen.computeIfAbsent(s.user(), k -> new ArrayList<>());
            ShortTermWindow.Click c =
                    new ShortTermWindow.Click(s.ts(), s.item(), table.categoriesOf(s.item()).get());
            if (mine.stream().anyMatch(c::sameEvent)) {
                continue;
            }
            mine.add(c);
            ShortTermWindow.Categories cats =
                    ShortTermWindow.categories(ShortTermWindow.last(mine, n));
            List<ShortTermUpdate> updates = out.computeIfAbsent(s.user(), k -> new ArrayList<>());
            int[] previous = updates.isEmpty() ? new int[0] : updates.get(updates.size() - 1).set();
            if (!java.util.Arrays.equals(previous, cats.set())) {
                updates.add(
                        new ShortTermUpdate(
                                s.user(), s.ts(), cats.categories(), cats.set(), cats.hash()));
            }
        }
        return out;
    }
}
