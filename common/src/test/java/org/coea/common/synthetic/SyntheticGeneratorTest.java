package org.coea.common.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.EventType;
import org.coea.common.testutils.Fixtures;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {

    @Test
    void sameSeedGivesSameOutputWhateverTheInstance() {
        SyntheticSpec spec = Fixtures.smallSyntheticSpec(7);
        SyntheticGenerator a = new SyntheticGenerator(spec);
        SyntheticGenerator b = new SyntheticGenerator(spec);
        for (long u = 0; u < spec.users(); u++) {
            assertThat(b.userEvents(u)).isEqualTo(a.userEvents(u));
            assertThat(b.userFeatures(u)).isEqualTo(a.userFeatures(u));
        }
        // Generation order does not matter: user 150 alone equals user 150 after all others.
        assertThat(new SyntheticGenerator(spec).userEvents(150)).isEqualTo(a.userEvents(150));
        for (int i = 0; i < spec.items(); i++) {
            assertThat(b.item(i)).isEqualTo(a.item(i));
        }
    }

    @Test
    void differentSeedGivesDifferentOutput() {
        SyntheticGenerator a = new SyntheticGenerator(Fixtures.smallSyntheticSpec(7));
        SyntheticGenerator b = new SyntheticGenerator(Fixtures.smallSyntheticSpec(8));
        assertThat(b.userEvents(3)).isNotEqualTo(a.userEvents(3));
    }

    @Test
    void eventsAreTimeOrderedInRangeAndShaped() {
        SyntheticSpec spec = Fixtures.smallSyntheticSpec(1);
        SyntheticGenerator g = new SyntheticGenerator(spec);
        List<BehaviorEvent> all = new ArrayList<>();
        for (long u = 0; u < spec.users(); u++) {
            List<BehaviorEvent> events = g.userEvents(u);
            long clicks = events.stream().filter(e -> e.type() == EventType.CLICK).count();
            assertThat(clicks).as("user %d clicks", u).isGreaterThanOrEqualTo(5);
            for (int j = 1; j < events.size(); j++) {
                assertThat(events.get(j).epochSeconds())
                        .isGreaterThanOrEqualTo(events.get(j - 1).epochSeconds());
            }
            all.addAll(events);
        }
        long end = spec.startEpochSeconds() + spec.days() * 86_400L;
        assertThat(all)
                .allSatisfy(
                        e ->
                                assertThat(e.epochSeconds())
                                        .isBetween(spec.startEpochSeconds(), end - 1));
        assertThat(all).anyMatch(e -> e.type() == EventType.EXPOSURE);
        assertThat(all).anyMatch(e -> e.strength() >= 2);
        double mean =
                all.stream().filter(e -> e.type() == EventType.CLICK).count()
                        / (double) spec.users();
        assertThat(mean)
                .isBetween(spec.interactionsPerUser() * 0.7, spec.interactionsPerUser() * 1.3);

        // Zipf popularity: the most clicked category gets far more clicks than the median one.
        Map<String, Integer> perCategory = new HashMap<>();
        all.stream()
                .filter(e -> e.type() == EventType.CLICK)
                .forEach(
                        e ->
                                perCategory.merge(
                                        g.item(e.itemId()).categories().get(0), 1, Integer::sum));
        List<Integer> counts = new ArrayList<>(perCategory.values());
        counts.sort(null);
        assertThat(counts.get(counts.size() - 1)).isGreaterThan(4 * counts.get(counts.size() / 2));
    }

    @Test
    void usersOfAGroupShareCategoryPreferences() {
        SyntheticSpec spec = Fixtures.smallSyntheticSpec(3);
        SyntheticGenerator g = new SyntheticGenerator(spec);
        // Two users of the same group overlap in categories more than users of different groups.
        double same = 0;
        double diff = 0;
        int sameN = 0;
        int diffN = 0;
        for (long u = 0; u < 60; u++) {
            for (long v = u + 1; v < 60; v++) {
                double j = jaccard(g, u, v);
                if (g.group(u) == g.group(v)) {
                    same += j;
                    sameN++;
                } else {
                    diff += j;
                    diffN++;
                }
            }
        }
        assertThat(sameN).isPositive();
        assertThat(same / sameN).isGreaterThan(1.5 * diff / diffN);
    }

    private static double jaccard(SyntheticGenerator g, long u, long v) {
        java.util.Set<String> a = categories(g, u);
        java.util.Set<String> b = categories(g, v);
        java.util.Set<String> inter = new java.util.HashSet<>(a);
        inter.retainAll(b);
        java.util.Set<String> union = new java.util.HashSet<>(a);
        union.addAll(b);
        return inter.size() / (double) union.size();
    }

    private static java.util.Set<String> categories(SyntheticGenerator g, long u) {
        java.util.Set<String> s = new java.util.HashSet<>();
        g.userEvents(u).stream()
                .filter(e -> e.type() == EventType.CLICK)
                .forEach(e -> s.addAll(g.item(e.itemId()).categories()));
        return s;
    }

    @Test
    void validatesSpec() {
        assertThatThrownBy(() -> new SyntheticSpec(0, 10, 5, 10, 1.1, 2, 2, 0.1, 5, 0, 0, 1))
                .hasMessageContaining("users must be > 0");
        assertThatThrownBy(() -> new SyntheticSpec(10, 3, 5, 10, 1.1, 2, 2, 0.1, 5, 0, 0, 1))
                .hasMessageContaining("items must be >= categories");
    }
}
