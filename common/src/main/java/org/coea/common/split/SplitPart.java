package org.coea.common.split;

import java.util.Locale;

/** The three parts of a time split; the wire name is the warehouse table name. */
public enum SplitPart {
    TRAIN,
    VALID,
    TEST;

    /** The table name: {@code train}, {@code valid} or {@code test}. */
    public String tableName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
