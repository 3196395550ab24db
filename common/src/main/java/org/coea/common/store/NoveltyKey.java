package org.coea.common.store;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.model.GroupCsid;

/**
 * The key of the novelty store: a CSID and the {@link CategorySetHash} of a short-term category
 * set, rendered {@code CSID + ":" + hex(hash)}, for example {@code "003-014-007:9e3c4a1f0b2d7c55"}.
 */
public record NoveltyKey(GroupCsid csid, long setHash) {
    private static final int HEX_DIGITS = 16;

    public NoveltyKey {
        Objects.requireNonNull(csid, "csid");
    }

    /** The key of a CSID and a short-term category set (order and duplicates do not matter). */
    public static NoveltyKey of(GroupCsid csid, Collection<Integer> shortTermSet) {
        return new NoveltyKey(csid, CategorySetHash.hash(shortTermSet));
    }

    /**
     * Parses the rendered form.
     *
     * @throws IllegalArgumentException naming the text when it is not {@code CSID:16-hex-digits}
     */
    public static NoveltyKey parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || text.length() - colon - 1 != HEX_DIGITS) {
            throw new IllegalArgumentException(
                    "not a novelty key '" + text + "' (expected CSID:hash, like 003-014:00ff...)");
        }
        String hex = text.substring(colon + 1);
        if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException(
                    "not a novelty key '" + text + "': hash must be 16 lower-case hex digits");
        }
        GroupCsid csid;
        try {
            csid = GroupCsid.parse(text.substring(0, colon));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a novelty key '" + text + "': " + e.getMessage(), e);
        }
        return new NoveltyKey(csid, Long.parseUnsignedLong(hex, 16));
    }

    /** The rendered key, {@code CSID:hash}. */
    public String render() {
        return csid + ":" + String.format(Locale.ROOT, "%016x", setHash);
    }

    @Override
    public String toString() {
        return render();
    }
}
