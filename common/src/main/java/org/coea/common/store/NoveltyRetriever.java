package org.coea.common.store;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.coea.common.model.GroupCsid;

/**
 * Answers a user with novel categories: the user's CSID from the {@link UserStore} (the default
 * CSID for unknown users), the short-term set given by the caller or else the stored one, one
 * {@link NoveltyStore} lookup, and the categories already in the set filtered out.
 */
public final class NoveltyRetriever {
    private final NoveltyStore novelty;
    private final UserStore users;

    /** A retriever over the two stores (which it does not close). */
    public NoveltyRetriever(NoveltyStore novelty, UserStore users) {
        this.novelty = Objects.requireNonNull(novelty, "novelty");
        this.users = Objects.requireNonNull(users, "users");
    }

    /** The novel categories of a user, from the user's stored short-term set. */
    public Answer retrieve(String userId) {
        return retrieve(userId, Optional.empty());
    }

    /** The novel categories of a user whose current short-term set is {@code currentSet}. */
    public Answer retrieve(String userId, Collection<Integer> currentSet) {
        return retrieve(userId, Optional.of(currentSet));
    }

    private Answer retrieve(String userId, Optional<Collection<Integer>> currentSet) {
        UserIds.check(userId);
        Optional<UserState> state = users.get(userId);
        Optional<GroupCsid> csid = state.map(UserState::csid).or(users::defaultCsid);
        Set<Integer> set =
                new TreeSet<>(
                        currentSet.orElseGet(
                                () ->
                                        state.map(s -> (Collection<Integer>) s.shortTermSet())
                                                .orElse(Set.of())));
        if (csid.isEmpty()) {
            return new Answer(userId, Optional.empty(), true, Optional.empty(), List.of(), "");
        }
        NoveltyKey key = NoveltyKey.of(csid.get(), set);
        Optional<NoveltyEntry> entry = novelty.get(key);
        List<NovelCategory> categories =
                entry.map(
                                e ->
                                        e.categories().stream()
                                                .filter(c -> !set.contains(c.categoryId()))
                                                .toList())
                        .orElse(List.of());
        return new Answer(
                userId,
                csid,
                state.isEmpty(),
                Optional.of(key),
                categories,
                entry.map(NoveltyEntry::modelVersion).orElse(""));
    }

    /**
     * The answer for one user.
     *
     * @param csid the CSID used; empty for an unknown user when the store has no default CSID
     * @param coldStart whether the user was unknown (served from the default CSID)
     * @param key the novelty key looked up; empty when there was no CSID
     * @param categories ranked novel categories outside the short-term set; empty when none
     * @param modelVersion the model version of the entry; empty text when there was none
     */
    public record Answer(
            String userId,
            Optional<GroupCsid> csid,
            boolean coldStart,
            Optional<NoveltyKey> key,
            List<NovelCategory> categories,
            String modelVersion) {}
}
