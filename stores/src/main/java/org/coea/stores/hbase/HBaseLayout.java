package org.coea.stores.hbase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.hbase.TableName;

/**
 * What {@code coea hbase-init} creates: the two tables (a {@code namespace:table} name puts a table
 * in that namespace), the novelty TTL and the split keys that pre-split each table by key prefix.
 *
 * @param noveltyTable the novelty table
 * @param userTable the user table
 * @param noveltyTtl time to live of novelty cells; {@link Duration#ZERO} for none
 * @param noveltySplits split keys of the novelty table (UTF-8, ascending), e.g. the first-level
 *     CSID codes {@code 001, 002, ...}
 * @param userSplits split keys of the user table (UTF-8, ascending), e.g. leading digits
 */
public record HBaseLayout(
        TableName noveltyTable,
        TableName userTable,
        Duration noveltyTtl,
        List<String> noveltySplits,
        List<String> userSplits) {

    /** Cells of either family keep one version: the store versions by column, not by cell. */
    public static final int MAX_VERSIONS = 1;

    /** Validates the fields: distinct tables, a TTL >= 0, strictly ascending non-empty splits. */
    public HBaseLayout {
        Objects.requireNonNull(noveltyTable, "noveltyTable");
        Objects.requireNonNull(userTable, "userTable");
        Objects.requireNonNull(noveltyTtl, "noveltyTtl");
        noveltySplits = List.copyOf(noveltySplits);
        userSplits = List.copyOf(userSplits);
        if (noveltyTable.equals(userTable)) {
            throw new IllegalArgumentException(
                    "the novelty and user tables must differ, both are " + noveltyTable);
        }
        if (noveltyTtl.isNegative()) {
            throw new IllegalArgumentException("novelty TTL must be >= 0, got " + noveltyTtl);
        }
        checkSplits("novelty", noveltySplits);
        checkSplits("user", userSplits);
    }

    /**
     * Split keys at the first-level CSID codes {@code 001 .. regions-1}: {@code regions} regions,
     * the first also holding the pointer row ({@code \0pointer} sorts first).
     *
     * @param regions 1 (no split) to 1000
     */
    public static List<String> csidCodeSplits(int regions) {
        if (regions < 1 || regions > 1000) {
            throw new IllegalArgumentException(
                    "novelty regions must be in 1..1000 (one per first-level code), got "
                            + regions);
        }
        List<String> splits = new ArrayList<>();
        for (int code = 1; code < regions; code++) {
            splits.add(String.format(Locale.ROOT, "%03d", code));
        }
        return splits;
    }

    private static void checkSplits(String table, List<String> splits) {
        for (int i = 0; i < splits.size(); i++) {
            if (splits.get(i).isEmpty()) {
                throw new IllegalArgumentException("an empty " + table + " split key");
            }
            if (i > 0 && splits.get(i - 1).compareTo(splits.get(i)) >= 0) {
                throw new IllegalArgumentException(
                        table + " split keys must be strictly ascending, got " + splits);
            }
        }
    }
}
