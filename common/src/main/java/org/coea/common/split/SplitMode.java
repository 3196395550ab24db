package org.coea.common.split;

/** How the split stage cuts time. */
public enum SplitMode {
    /** Per-user when the warehouse came from MovieLens, by day otherwise. */
    AUTO,
    /** Each user's own clicks in time order: the last share to test, the share before to valid. */
    PER_USER,
    /** Calendar days (UTC) over the whole log: the last days to test, the days before to valid. */
    BY_DAY
}
