package org.coea.common.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.coea.common.ingest.Fields.BadField;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.EventType;
import org.coea.common.model.Item;
import org.coea.common.model.UserFeatures;

/**
 * Parses single lines of GroupLens MovieLens files (see {@link MovieLensFormat}). A rating is a
 * click whose strength is the rating (METHOD.md: n_{u,i} for MovieLens).
 */
public final class MovieLensParsers {
    private static final Pattern DOUBLE_COLON = Pattern.compile("::");
    private static final Pattern TAB = Pattern.compile("\t");
    private static final Pattern PIPE = Pattern.compile("\\|");

    private MovieLensParsers() {}

    /** Parses a ratings line ({@code ratings.dat} or {@code u.data}). */
    public static Parsed<BehaviorEvent> rating(MovieLensFormat format, String line) {
        String[] f = split(format == MovieLensFormat.ML_1M ? DOUBLE_COLON : TAB, line);
        if (f.length != 4) {
            return Parsed.reject("wrong field count: " + f.length + " (expected 4)");
        }
        try {
            long user = Fields.id("user id", f[0]);
            long item = Fields.id("item id", f[1]);
            double rating = Fields.number("rating", f[2]);
            if (rating < 0) {
                return Parsed.reject("negative rating '" + f[2].trim() + "'");
            }
            long ts = Fields.timestamp(f[3]);
            return Parsed.ok(new BehaviorEvent(user, item, ts, EventType.CLICK, rating));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }

    /** Parses a movies line ({@code movies.dat} or {@code u.item}) into an item. */
    public static Parsed<Item> movie(MovieLensFormat format, String line, CategoryMapping mapping) {
        List<String> genres = new ArrayList<>();
        String idText;
        String title;
        if (format == MovieLensFormat.ML_1M) {
            String[] f = split(DOUBLE_COLON, line);
            if (f.length != 3) {
                return Parsed.reject("wrong field count: " + f.length + " (expected 3)");
            }
            idText = f[0];
            title = f[1].trim();
            for (String g : PIPE.split(f[2].trim())) {
                if (!g.isBlank() && !genres.contains(g.trim())) {
                    genres.add(g.trim());
                }
            }
        } else {
            String[] f = split(PIPE, line);
            int expected = 5 + MovieLensFormat.ML_100K_GENRES.size();
            if (f.length != expected) {
                return Parsed.reject(
                        "wrong field count: " + f.length + " (expected " + expected + ")");
            }
            idText = f[0];
            title = f[1].trim();
            for (int g = 0; g < MovieLensFormat.ML_100K_GENRES.size(); g++) {
                String flag = f[5 + g].trim();
                if (flag.equals("1")) {
                    genres.add(MovieLensFormat.ML_100K_GENRES.get(g));
                } else if (!flag.equals("0")) {
                    return Parsed.reject(
                            "bad genre flag '"
                                    + flag
                                    + "' for "
                                    + MovieLensFormat.ML_100K_GENRES.get(g)
                                    + " (expected 0 or 1)");
                }
            }
        }
        try {
            long id = Fields.id("item id", idText);
            if (genres.isEmpty()) {
                return Parsed.reject("item " + id + " has no genre");
            }
            return Parsed.ok(new Item(id, title, mapping.apply(genres)));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }

    /** Parses a users line ({@code users.dat} or {@code u.user}) into sparse features. */
    public static Parsed<UserFeatures> user(MovieLensFormat format, String line) {
        String[] f = split(format == MovieLensFormat.ML_1M ? DOUBLE_COLON : PIPE, line);
        if (f.length != 5) {
            return Parsed.reject("wrong field count: " + f.length + " (expected 5)");
        }
        try {
            long id = Fields.id("user id", f[0]);
            Map<String, String> features = new LinkedHashMap<>();
            if (format == MovieLensFormat.ML_1M) {
                put(features, "gender", f[1]);
                put(features, "age", f[2]);
                put(features, "occupation", f[3]);
                put(features, "zip", f[4]);
            } else {
                put(features, "age", f[1]);
                put(features, "gender", f[2]);
                put(features, "occupation", f[3]);
                put(features, "zip", f[4]);
            }
            return Parsed.ok(new UserFeatures(id, features));
        } catch (BadField e) {
            return Parsed.reject(e.getMessage());
        }
    }

    private static void put(Map<String, String> features, String name, String value) {
        if (!value.isBlank()) {
            features.put(name, value.trim());
        }
    }

    private static String[] split(Pattern sep, String line) {
        return sep.split(line, -1);
    }
}
