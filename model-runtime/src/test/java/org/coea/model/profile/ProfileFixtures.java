package org.coea.model.profile;

import java.util.List;

/** Small groups of representative histories for the Profile model tests. */
final class ProfileFixtures {
    private ProfileFixtures() {}

    static ProfileItem item(String title, String... categories) {
        return new ProfileItem(title, List.of(categories));
    }

    /** Two representatives: five and three items, oldest first. */
    static GroupHistories films() {
        return new GroupHistories(
                List.of(
                        List.of(
                                item("Toy Story", "Animation", "Comedy"),
                                item("Heat", "Action"),
                                item("Casino", "Crime", "Drama"),
                                item("Babe", "Children's"),
                                item("Fargo", "Crime")),
                        List.of(
                                item("Alien", "Horror", "Sci-Fi"),
                                item("Brazil", "Sci-Fi"),
                                item("Clerks", "Comedy"))));
    }

    /** Three representatives, one of them without items. */
    static GroupHistories shows() {
        return new GroupHistories(
                List.of(
                        List.of(item("Cosmos", "Documentary"), item("Planet Earth")),
                        List.of(),
                        List.of(
                                item("Sherlock", "Crime", "Mystery"),
                                item("Fawlty Towers", "Comedy"),
                                item("The Wire", "Crime", "Drama"),
                                item("Blackadder", "Comedy", "History"))));
    }

    /** One representative with one item. */
    static GroupHistories single() {
        return new GroupHistories(List.of(List.of(item("Jaws", "Thriller"))));
    }
}
