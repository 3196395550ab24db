package org.coea.model.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.coea.common.model.GroupCsid;

/**
 * The facts a prompt is built from, for either model size; which of them a prompt needs depends on
 * its {@link PromptKind} and codec, which report a missing one by name.
 *
 * <p>Lists are never null: an empty list means the field is absent.
 *
 * @param csid the group's CSID; absent for the "w/o Long" ablation and for cold-start users
 * @param profile the group's textual profile, as the Profile model wrote it
 * @param profileCategories the group's dominant categories, most dominant first
 * @param recentCategories the user's short-term categories C_u^S, oldest first
 * @param candidate the category a Relevance prompt asks about
 * @param histories the representative users' long-term histories for the Profile prompt, one list
 *     per user, each item as {@code "title (category)"}, oldest first
 */
public record PromptFields(
        Optional<GroupCsid> csid,
        Optional<String> profile,
        List<String> profileCategories,
        List<String> recentCategories,
        Optional<String> candidate,
        List<List<String>> histories) {

    /** Validates and copies the fields. */
    public PromptFields {
        Objects.requireNonNull(csid, "csid");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(candidate, "candidate");
        profileCategories = categories(profileCategories, "profile_categories");
        recentCategories = categories(recentCategories, "recent_categories");
        candidate.ifPresent(c -> nonBlank(c, "candidate"));
        profile.ifPresent(p -> nonBlank(p, "profile"));
        List<List<String>> h = new ArrayList<>();
        for (List<String> history : Objects.requireNonNull(histories, "histories")) {
            h.add(List.copyOf(history));
        }
        histories = List.copyOf(h);
    }

    /** A builder with every field absent. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.csid = csid.orElse(null);
        b.profile = profile.orElse(null);
        b.profileCategories = profileCategories;
        b.recentCategories = recentCategories;
        b.candidate = candidate.orElse(null);
        b.histories = histories;
        return b;
    }

    /**
     * These fields with only the last {@code k} recent categories (Appendix A.2, see {@link
     * RecentCategories}).
     */
    public PromptFields keepLastRecent(int k) {
        return toBuilder()
                .optRecentCategories(RecentCategories.keepLast(recentCategories, k))
                .build();
    }

    private static List<String> categories(List<String> list, String field) {
        List<String> copy = List.copyOf(Objects.requireNonNull(list, field));
        copy.forEach(c -> nonBlank(c, field));
        return copy;
    }

    private static void nonBlank(String value, String field) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("prompt field '" + field + "' holds a blank value");
        }
    }

    /** Builds {@link PromptFields}; every field is optional here, the codec says what it needs. */
    public static final class Builder {
        private GroupCsid csid;
        private String profile;
        private List<String> profileCategories = List.of();
        private List<String> recentCategories = List.of();
        private String candidate;
        private List<List<String>> histories = List.of();

        private Builder() {}

        /** The group's CSID. */
        public Builder optCsid(GroupCsid csid) {
            this.csid = Objects.requireNonNull(csid, "csid");
            return this;
        }

        /** The group's textual profile. */
        public Builder optProfile(String profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** The group's dominant categories, most dominant first. */
        public Builder optProfileCategories(List<String> categories) {
            this.profileCategories = Objects.requireNonNull(categories, "profileCategories");
            return this;
        }

        /** The user's short-term categories, oldest first. */
        public Builder optRecentCategories(List<String> categories) {
            this.recentCategories = Objects.requireNonNull(categories, "recentCategories");
            return this;
        }

        /** The candidate category of a Relevance prompt. */
        public Builder optCandidate(String candidate) {
            this.candidate = Objects.requireNonNull(candidate, "candidate");
            return this;
        }

        /** The representative users' histories, items as {@code "title (category)"}. */
        public Builder optHistories(List<List<String>> histories) {
            this.histories = Objects.requireNonNull(histories, "histories");
            return this;
        }

        /**
         * Builds the fields.
         *
         * @throws IllegalArgumentException naming the field when a text or category is blank
         */
        public PromptFields build() {
            return new PromptFields(
                    Optional.ofNullable(csid),
                    Optional.ofNullable(profile),
                    profileCategories,
                    recentCategories,
                    Optional.ofNullable(candidate),
                    histories);
        }
    }
}
