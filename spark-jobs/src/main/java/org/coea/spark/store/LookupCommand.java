package org.coea.spark.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyRetriever;
import org.coea.spark.CommonOptions;
import org.coea.stores.OpenedStores;

/**
 * {@code coea lookup}: answers one user from the serving store the way the online path does ({@link
 * NoveltyRetriever}) and prints the answer as one JSON line. Needs no Spark session; the category
 * names come from the warehouse's {@code categories} table when it can be read.
 */
public final class LookupCommand {
    /** The subcommand name. */
    public static final String NAME = "lookup";

    public static final ConfigOption<String> USER =
            ConfigOptions.key("user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("The user id to answer (required).");
    public static final ConfigOption<String> SET =
            ConfigOptions.key("set")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The user's current short-term category set, comma-separated category ids (e.g. 3,5,7); unset: the set stored for the user.");

    private static final ObjectMapper JSON = new ObjectMapper();

    private LookupCommand() {}

    /** One line for {@code coea --help}. */
    public static String summary() {
        return "answer one user from the serving store (NoveltyRetriever) as a JSON line; no Spark";
    }

    /** The options of {@code lookup}, besides the warehouse. */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(USER, SET));
        all.addAll(StoreOptions.OPTIONS);
        return all;
    }

    /**
     * Opens the store, answers the user and returns the JSON line.
     *
     * @throws IllegalArgumentException for a missing user or a malformed set
     */
    public static String lookup(Configuration conf) {
        String user =
                conf.optional(USER)
                        .filter(u -> !u.isBlank())
                        .orElseThrow(() -> new IllegalArgumentException("--user is required"));
        Optional<List<Integer>> set = conf.optional(SET).map(LookupCommand::parseSet);
        StoreOptions o = StoreOptions.from(conf);
        NoveltyRetriever.Answer answer;
        long storeVersion;
        try (OpenedStores stores = OpenedStores.open(o.settings())) {
            NoveltyRetriever retriever =
                    new NoveltyRetriever(stores.noveltyStore(), stores.userStore());
            answer =
                    set.isPresent()
                            ? retriever.retrieve(user, set.get())
                            : retriever.retrieve(user);
            storeVersion = stores.noveltyStore().currentVersion().orElse(-1);
        }
        Map<Integer, String> names = categoryNames(conf.get(CommonOptions.WAREHOUSE));
        return toJson(answer, storeVersion, names);
    }

    static String toJson(
            NoveltyRetriever.Answer answer, long storeVersion, Map<Integer, String> names) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", answer.userId());
        out.put("csid", answer.csid().map(Object::toString).orElse(null));
        out.put("cold_start", answer.coldStart());
        out.put("key", answer.key().map(Object::toString).orElse(null));
        List<Map<String, Object>> categories = new ArrayList<>();
        for (NovelCategory c : answer.categories()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("category_id", c.categoryId());
            if (names.containsKey(c.categoryId())) {
                m.put("name", names.get(c.categoryId()));
            }
            m.put("score", c.score());
            categories.add(m);
        }
        out.put("categories", categories);
        out.put("model_version", answer.modelVersion());
        out.put("store_version", storeVersion < 0 ? null : storeVersion);
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }

    static List<Integer> parseSet(String text) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                ids.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--set expects comma-separated category ids, got '" + text + "'");
            }
        }
        return new ArrayList<>(ids);
    }

    /**
     * {@code category_id -> name} from the {@code categories} table, read with the Parquet reader
     * alone; empty when the table is missing or unreadable (the answer then carries ids only).
     */
    static Map<Integer, String> categoryNames(String warehouse) {
        Map<Integer, String> names = new HashMap<>();
        Path dir = new Path(warehouse, "categories");
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(new Path(dir, "_SUCCESS"))) {
                return names;
            }
            for (FileStatus f : fs.listStatus(dir)) {
                if (!f.getPath().getName().endsWith(".parquet")) {
                    continue;
                }
                try (ParquetReader<Group> reader =
                        ParquetReader.builder(new GroupReadSupport(), f.getPath())
                                .withConf(hadoop)
                                .build()) {
                    for (Group g = reader.read(); g != null; g = reader.read()) {
                        names.put(g.getInteger("category_id", 0), g.getString("name", 0));
                    }
                }
            }
            return names;
        } catch (IOException | RuntimeException e) {
            System.err.println(
                    "lookup: category names unavailable (" + dir + "): " + e.getMessage());
            return Map.of();
        }
    }
}
