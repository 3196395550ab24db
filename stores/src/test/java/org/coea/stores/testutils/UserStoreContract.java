package org.coea.stores.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coea.common.model.GroupCsid;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyRetriever;
import org.coea.common.store.NoveltyStore;
import org.coea.common.store.NoveltyStore.CycleWriter;
import org.coea.common.store.UserState;
import org.coea.common.store.UserStore;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UserStore} implementation must show, and the {@link NoveltyRetriever}
 * over it and a novelty store of the same kind.
 */
public interface UserStoreContract {

    /** The user store under test; empty at the start of each test. */
    UserStore userStore();

    /** A novelty store of the same kind, for the retriever cases; empty at the start. */
    NoveltyStore noveltyStoreForRetriever();

    /** Re-creates the tables (or reopens the directory) and returns the user store over them. */
    UserStore reopenUserStore();

    @Test
    default void unknownUserIsEmptyAndPutReadsBack() {
        UserStore store = userStore();
        assertThat(store.get("nobody")).isEmpty();
        assertThat(store.defaultCsid()).isEmpty();
        UserState state = UserState.of(GroupCsid.of(1, 2), List.of(9, 3, 3));
        store.put("alice", state);
        assertThat(store.get("alice")).hasValue(state);
        assertThat(store.get("alice").get().shortTermSet()).containsExactly(3, 9);
        UserState next = UserState.of(GroupCsid.of(1, 2), List.of(4));
        store.put("alice", next);
        assertThat(store.get("alice")).as("streaming update replaces").hasValue(next);
        store.putDefaultCsid(GroupCsid.of(0, 7));
        assertThat(store.defaultCsid()).hasValue(GroupCsid.of(0, 7));
    }

    @Test
    default void batchPutAllOfThousandsOfUsers() {
        UserStore store = userStore();
        Map<String, UserState> users = StoreData.users(3000, 11);
        store.putAll(users);
        long intact =
                users.entrySet().stream()
                        .filter(
                                e ->
                                        store.get(e.getKey())
                                                .equals(java.util.Optional.of(e.getValue())))
                        .count();
        assertThat(intact).as("users read back intact").isEqualTo(users.size());
    }

    @Test
    default void invalidUserIdIsRejectedWithTheId() {
        UserStore store = userStore();
        UserState state = UserState.of(GroupCsid.of(1), List.of(1));
        assertThatThrownBy(() -> store.put("", state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid user id ''");
        assertThatThrownBy(() -> store.put("a\nb", state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid user id");
    }

    @Test
    default void reopeningKeepsUsersAndDefault() {
        UserStore store = userStore();
        UserState state = UserState.of(GroupCsid.of(5), List.of(1, 2));
        store.put("bob", state);
        store.putDefaultCsid(GroupCsid.of(6));
        UserStore again = reopenUserStore();
        assertThat(again.get("bob")).hasValue(state);
        assertThat(again.defaultCsid()).hasValue(GroupCsid.of(6));
    }

    @Test
    default void retrieverServesKnownAndColdStartUsers() {
        UserStore users = userStore();
        NoveltyStore novelty = noveltyStoreForRetriever();
        NoveltyRetriever retriever = new NoveltyRetriever(novelty, users);
        GroupCsid known = GroupCsid.of(3, 4);
        GroupCsid fallback = GroupCsid.of(0, 0);
        users.put("carol", UserState.of(known, Set.of(10, 11)));
        assertThat(retriever.retrieve("dave").csid()).as("no default CSID yet").isEmpty();
        users.putDefaultCsid(fallback);

        NoveltyKey carolKey = NoveltyKey.of(known, Set.of(10, 11));
        NoveltyKey carolNow = NoveltyKey.of(known, Set.of(10, 20));
        NoveltyKey coldKey = NoveltyKey.of(fallback, Set.of());
        NoveltyKey coldWithSet = NoveltyKey.of(fallback, Set.of(30));
        try (CycleWriter w = novelty.beginCycle(1)) {
            w.put(carolKey, entry(List.of(40, 41)));
            w.put(carolNow, entry(List.of(20, 42, 43)));
            w.put(coldKey, entry(List.of(50)));
            w.put(coldWithSet, entry(List.of(30, 51)));
            w.commit();
        }

        NoveltyRetriever.Answer stored = retriever.retrieve("carol");
        assertThat(stored.coldStart()).isFalse();
        assertThat(stored.key()).hasValue(carolKey);
        assertThat(ids(stored)).containsExactly(40, 41);
        assertThat(stored.modelVersion()).isEqualTo("m1");

        NoveltyRetriever.Answer current = retriever.retrieve("carol", List.of(20, 10));
        assertThat(ids(current))
                .as("categories already in the current set are filtered out")
                .containsExactly(42, 43);

        NoveltyRetriever.Answer cold = retriever.retrieve("dave");
        assertThat(cold.coldStart()).isTrue();
        assertThat(cold.csid()).hasValue(fallback);
        assertThat(ids(cold)).containsExactly(50);
        assertThat(ids(retriever.retrieve("dave", Set.of(30)))).containsExactly(51);

        assertThat(ids(retriever.retrieve("erin", Set.of(99))))
                .as("no entry for the key")
                .isEmpty();
    }

    private static NoveltyEntry entry(List<Integer> ids) {
        double score = 1.0;
        List<NovelCategory> categories = new java.util.ArrayList<>();
        for (int id : ids) {
            categories.add(new NovelCategory(id, score));
            score -= 0.1;
        }
        return new NoveltyEntry(categories, "m1");
    }

    private static List<Integer> ids(NoveltyRetriever.Answer answer) {
        return answer.categories().stream().map(NovelCategory::categoryId).toList();
    }
}
