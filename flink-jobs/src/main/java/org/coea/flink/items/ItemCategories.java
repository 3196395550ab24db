package org.coea.flink.items;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.coea.common.ingest.CategoryMapping;
import org.coea.common.ingest.ItemJsonParser;
import org.coea.common.ingest.MovieLensFormat;
import org.coea.common.ingest.MovieLensParsers;
import org.coea.common.ingest.Parsed;
import org.coea.common.model.CategoryIndex;
import org.coea.common.model.Item;

/**
 * The items table as the streaming jobs see it: item id to category ids, and category name to id.
 * Category ids are the batch {@code ingest} stage's ({@link CategoryIndex} over the names of the
 * valid items), so streaming and batch sets hash alike. Immutable and serializable: each parallel
 * instance of the mapping function holds one copy.
 */
public final class ItemCategories implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final HashMap<Long, int[]> categoriesOfItem;
    private final HashMap<String, Integer> idOfName;
    private final int rejected;

    private ItemCategories(List<Item> items, int rejected) {
        TreeSet<String> names = new TreeSet<>();
        items.forEach(i -> names.addAll(i.categories()));
        CategoryIndex index = CategoryIndex.of(names);
        this.idOfName = new HashMap<>();
        for (String name : index.names()) {
            idOfName.put(name, index.id(name));
        }
        this.categoriesOfItem = new HashMap<>();
        for (Item item : items) {
            int[] ids = item.categories().stream().mapToInt(index::id).toArray();
            categoriesOfItem.putIfAbsent(item.itemId(), ids);
        }
        this.rejected = rejected;
    }

    /** The table of these items (the first of a repeated id wins, as in the batch ingest). */
    public static ItemCategories of(List<Item> items) {
        return new ItemCategories(items, 0);
    }

    /**
     * Loads the items of a GroupLens MovieLens directory (every genre of a movie is a category).
     *
     * @throws IllegalArgumentException naming the directory when it has no items file
     */
    public static ItemCategories loadMovieLens(Path dir) {
        MovieLensFormat format =
                MovieLensFormat.detect(dir.toString(), f -> Files.exists(dir.resolve(f)));
        Path file = dir.resolve(format.itemsFile());
        List<Item> items = new ArrayList<>();
        int[] bad = {0};
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            lines.filter(l -> !l.isBlank())
                    .forEach(
                            l -> {
                                Parsed<Item> p =
                                        MovieLensParsers.movie(format, l, CategoryMapping.ALL);
                                if (p.isOk()) {
                                    items.add(p.value());
                                } else {
                                    bad[0]++;
                                }
                            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the items file " + file, e);
        }
        return checked(items, bad[0], file);
    }

    /**
     * Loads a JSON-lines items file ({@link ItemJsonParser}), e.g. an export of the warehouse
     * {@code items} table.
     */
    public static ItemCategories loadJsonLines(Path file) {
        List<Item> items = new ArrayList<>();
        int bad = 0;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String l : (Iterable<String>) lines.filter(l -> !l.isBlank())::iterator) {
                Parsed<Item> p = ItemJsonParser.parse(l);
                if (p.isOk()) {
                    items.add(p.value());
                } else {
                    bad++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the items file " + file, e);
        }
        return checked(items, bad, file);
    }

    private static ItemCategories checked(List<Item> items, int bad, Path file) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException(
                    "the items file " + file + " has no valid item (" + bad + " rejected)");
        }
        return new ItemCategories(items, bad);
    }

    /** The category ids of an item, in listed order; empty when the item is unknown. */
    public Optional<int[]> categoriesOf(long itemId) {
        int[] ids = categoriesOfItem.get(itemId);
        return ids == null ? Optional.empty() : Optional.of(ids.clone());
    }

    /** The id of a category name; empty when unknown. */
    public Optional<Integer> idOf(String name) {
        return Optional.ofNullable(idOfName.get(Objects.requireNonNull(name, "name")));
    }

    /** The category names by id. */
    public Map<Integer, String> names() {
        Map<Integer, String> out = new HashMap<>();
        idOfName.forEach((n, id) -> out.put(id, n));
        return out;
    }

    /** Number of items. */
    public int size() {
        return categoriesOfItem.size();
    }

    /** Lines of the loaded file that were rejected. */
    public int rejected() {
        return rejected;
    }
}
