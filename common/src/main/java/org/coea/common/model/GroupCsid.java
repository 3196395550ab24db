package org.coea.common.model;

import java.util.Arrays;

/**
 * A group's Collaborative Semantic ID: one code per residual-quantizer level (Eq. 2 / 6).
 *
 * <p>The string form is fixed-width: each code as three zero-padded decimal digits, joined by
 * {@code '-'}, for example codes (3, 14, 7) read {@code "003-014-007"}. Codes are 0..999, which
 * covers every codebook size the method uses (16 and 64).
 */
public final class GroupCsid implements Comparable<GroupCsid> {
    /** Largest code the string form can hold. */
    public static final int MAX_CODE = 999;

    private static final int WIDTH = 3;
    private final int[] codes;

    private GroupCsid(int[] codes) {
        this.codes = codes;
    }

    /**
     * Makes a CSID from its codes, first level first.
     *
     * @throws IllegalArgumentException when there are no codes or a code is outside 0..999
     */
    public static GroupCsid of(int... codes) {
        if (codes.length == 0) {
            throw new IllegalArgumentException("a CSID needs at least one code");
        }
        for (int c : codes) {
            if (c < 0 || c > MAX_CODE) {
                throw new IllegalArgumentException(
                        "CSID code "
                                + c
                                + " outside 0.."
                                + MAX_CODE
                                + ": "
                                + Arrays.toString(codes));
            }
        }
        return new GroupCsid(codes.clone());
    }

    /**
     * Parses the fixed-width string form.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    public static GroupCsid parse(String text) {
        String[] parts = text.split("-", -1);
        int[] codes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.length() != WIDTH || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new IllegalArgumentException(
                        "not a CSID '" + text + "' (expected codes like 003-014-007)");
            }
            codes[i] = Integer.parseInt(p);
        }
        return new GroupCsid(codes);
    }

    /** Number of levels. */
    public int levels() {
        return codes.length;
    }

    /** The code at a level (0-based). */
    public int code(int level) {
        return codes[level];
    }

    /** A copy of the codes. */
    public int[] codes() {
        return codes.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(codes.length * (WIDTH + 1));
        for (int i = 0; i < codes.length; i++) {
            if (i > 0) {
                sb.append('-');
            }
            String s = Integer.toString(codes[i]);
            sb.append("0".repeat(WIDTH - s.length())).append(s);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupCsid && Arrays.equals(codes, ((GroupCsid) o).codes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes);
    }

    @Override
    public int compareTo(GroupCsid other) {
        return Arrays.compare(codes, other.codes);
    }
}
