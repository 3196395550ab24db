package org.coea.common.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Dense category ids: the distinct category names sorted by their Java string order, numbered from
 * 0. The same names always give the same ids, whatever order they arrive in. {@link #extend} keeps
 * an earlier index's ids and appends new names.
 */
public final class CategoryIndex implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> names;
    private final Map<String, Integer> ids;

    private CategoryIndex(List<String> names) {
        this.names = Collections.unmodifiableList(names);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        this.ids = m;
    }

    /** The index of these names (duplicates ignored). */
    public static CategoryIndex of(Collection<String> names) {
        return new CategoryIndex(new ArrayList<>(new TreeSet<>(names)));
    }

    /**
     * An index that keeps the ids of {@code existing} (names by id, as an earlier index gave them)
     * and numbers the other {@code more} names after them, in sorted order; for increments, whose
     * new categories must not move the ids that stored models and tables already use.
     *
     * @throws IllegalArgumentException when {@code existing} repeats a name
     */
    public static CategoryIndex extend(List<String> existing, Collection<String> more) {
        List<String> names = new ArrayList<>(existing);
        if (new java.util.HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException(
                    "the existing categories repeat a name: " + existing);
        }
        TreeSet<String> added = new TreeSet<>(more);
        added.removeAll(existing);
        names.addAll(added);
        return new CategoryIndex(names);
    }

    /** Number of categories. */
    public int size() {
        return names.size();
    }

    /** Names indexed by id. */
    public List<String> names() {
        return names;
    }

    /**
     * The id of a name.
     *
     * @throws IllegalArgumentException naming the category when it is not indexed
     */
    public int id(String name) {
        Integer id = ids.get(name);
        if (id == null) {
            throw new IllegalArgumentException("unknown category '" + name + "'");
        }
        return id;
    }
}
