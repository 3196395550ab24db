package org.coea.model.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.coea.model.prompt.PromptFields;
import org.coea.model.prompt.PromptKind;
import org.coea.model.prompt.TextPromptCodec;

/**
 * Builds the Profile model's prompt: the {@link PromptKind#PROFILE} template with its {@code
 * {{histories}}} field (one line per representative, {@code "User i: title (category); ..."},
 * oldest first), as the user message after the system message in ChatML, tokenized; within a token
 * budget.
 *
 * <p><b>Truncation.</b> When the whole histories do not fit {@code maxPromptTokens}, the most
 * recent items are kept: items are admitted newest first, one per representative in turn (every
 * representative's newest item, then every one's second newest, and so on, representatives in the
 * group's order), as many as fit; each history keeps its oldest-first order, and a representative
 * with no item kept reads {@code (no items)}. The count is the largest that fits (binary search;
 * the prompt's token count grows with each admitted item).
 */
public final class ProfilePrompts {
    private final TextPromptCodec codec;
    private final int maxPromptTokens;

    /**
     * @param codec the text codec (tokenizer and templates)
     * @param maxPromptTokens the most tokens a prompt may have
     */
    public ProfilePrompts(TextPromptCodec codec, int maxPromptTokens) {
        this.codec = Objects.requireNonNull(codec, "codec");
        if (maxPromptTokens <= 0) {
            throw new IllegalArgumentException(
                    "maxPromptTokens must be positive, got " + maxPromptTokens);
        }
        this.maxPromptTokens = maxPromptTokens;
    }

    /** The token budget of a prompt. */
    public int maxPromptTokens() {
        return maxPromptTokens;
    }

    /**
     * The prompt of a group, truncated to the budget as the class describes.
     *
     * @throws IllegalArgumentException when even the prompt without history items exceeds the
     *     budget
     */
    public ProfilePrompt prompt(GroupHistories group) {
        int total = group.itemCount();
        ProfilePrompt all = render(group, total);
        if (all.ids().length <= maxPromptTokens) {
            return all;
        }
        ProfilePrompt best = render(group, 0);
        if (best.ids().length > maxPromptTokens) {
            throw new IllegalArgumentException(
                    "the Profile prompt has "
                            + best.ids().length
                            + " tokens without any history item, more than the budget of "
                            + maxPromptTokens
                            + " prompt tokens");
        }
        // Largest n in [0, total) that fits: lo fits, hi does not.
        int lo = 0;
        int hi = total;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            ProfilePrompt p = render(group, mid);
            if (p.ids().length <= maxPromptTokens) {
                lo = mid;
                best = p;
            } else {
                hi = mid;
            }
        }
        return best;
    }

    /** The prompt holding the {@code n} most recent items in turn order. */
    ProfilePrompt render(GroupHistories group, int n) {
        int[] keep = kept(group.histories(), n);
        List<List<String>> lines = new ArrayList<>();
        for (int u = 0; u < keep.length; u++) {
            List<ProfileItem> h = group.histories().get(u);
            List<String> items = new ArrayList<>(keep[u]);
            for (ProfileItem item : h.subList(h.size() - keep[u], h.size())) {
                items.add(item.text());
            }
            lines.add(items);
        }
        PromptFields fields = PromptFields.builder().optHistories(lines).build();
        String text = codec.render(PromptKind.PROFILE, fields);
        return new ProfilePrompt(text, codec.tokenizer().encode(text), n, group.itemCount());
    }

    /**
     * How many of each history's most recent items the first {@code n} admissions keep: round r
     * admits the r-th newest item of every representative that has one, in order.
     */
    static int[] kept(List<List<ProfileItem>> histories, int n) {
        int[] keep = new int[histories.size()];
        int left = n;
        boolean more = true;
        while (left > 0 && more) {
            more = false;
            for (int u = 0; u < keep.length && left > 0; u++) {
                if (keep[u] < histories.get(u).size()) {
                    keep[u]++;
                    left--;
                    more = true;
                }
            }
        }
        return keep;
    }
}
