package org.coea.common.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StatisticalProfilerTest {
    @Test
    void namesDominantDistinctiveAndExampleTitles() {
        StatisticalProfiler p = new StatisticalProfiler(2, 1, 2, 2);
        // Group: Drama 6, Comedy 3, Film-Noir 2, War 1 (of 12). Global: Drama 400, Comedy 500,
        // Film-Noir 10, War 90 (of 1000). Lift: Drama 1.25, Comedy 0.5, Film-Noir 16.7, War 0.93
        // (War has 1 click < minClicks 2, so it is not eligible).
        StatisticalProfiler.Profile profile =
                p.profile(
                        Map.of("Drama", 6L, "Comedy", 3L, "Film-Noir", 2L, "War", 1L),
                        Map.of("Drama", 400L, "Comedy", 500L, "Film-Noir", 10L, "War", 90L),
                        Map.of("Casablanca (1942)", 3L, "Fargo (1996)", 5L, "Heat (1995)", 1L));
        assertThat(profile.dominantCategories()).containsExactly("Drama", "Comedy");
        assertThat(profile.distinctiveCategories()).containsExactly("Film-Noir");
        assertThat(profile.exampleTitles()).containsExactly("Fargo (1996)", "Casablanca (1942)");
        assertThat(profile.text())
                .isEqualTo(
                        "Users who mostly choose Drama, Comedy; more than others they like Film-Noir; typical picks: Fargo (1996), Casablanca (1942).");
    }

    @Test
    void emptyGroupsStillRender() {
        StatisticalProfiler.Profile profile =
                new StatisticalProfiler(2, 2, 2, 1).profile(Map.of(), Map.of("A", 1L), Map.of());
        assertThat(profile.text()).contains("nothing in particular");
    }
}
