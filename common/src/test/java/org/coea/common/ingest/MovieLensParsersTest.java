package org.coea.common.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.EventType;
import org.coea.common.model.Item;
import org.junit.jupiter.api.Test;

class MovieLensParsersTest {
    private static final MovieLensFormat ML1M = MovieLensFormat.ML_1M;
    private static final MovieLensFormat ML100K = MovieLensFormat.ML_100K;

    @Test
    void detectsFormatFromFileNames() {
        assertThat(MovieLensFormat.detect("/d", Set.of("ratings.dat", "movies.dat")::contains))
                .isEqualTo(ML1M);
        assertThat(MovieLensFormat.detect("/d", Set.of("u.data", "u.item")::contains))
                .isEqualTo(ML100K);
        assertThatThrownBy(() -> MovieLensFormat.detect("/empty/dir", Set.of("x")::contains))
                .hasMessageContaining("/empty/dir")
                .hasMessageContaining("ratings.dat");
    }

    @Test
    void parsesMl1mRating() {
        BehaviorEvent e = MovieLensParsers.rating(ML1M, "1::1193::5::978300760").value();
        assertThat(e).isEqualTo(new BehaviorEvent(1, 1193, 978300760L, EventType.CLICK, 5.0));
    }

    @Test
    void parsesMl100kRating() {
        BehaviorEvent e = MovieLensParsers.rating(ML100K, "196\t242\t3\t881250949").value();
        assertThat(e).isEqualTo(new BehaviorEvent(196, 242, 881250949L, EventType.CLICK, 3.0));
    }

    @Test
    void rejectsEachMalformedRatingKind() {
        assertThat(MovieLensParsers.rating(ML1M, "1::1193::5").reason())
                .isEqualTo("wrong field count: 3 (expected 4)");
        assertThat(MovieLensParsers.rating(ML1M, "x1::1193::5::978300760").reason())
                .isEqualTo("non-numeric user id 'x1'");
        assertThat(MovieLensParsers.rating(ML1M, "1::11a::5::978300760").reason())
                .isEqualTo("non-numeric item id '11a'");
        assertThat(MovieLensParsers.rating(ML1M, "1::1193::five::978300760").reason())
                .isEqualTo("non-numeric rating 'five'");
        assertThat(MovieLensParsers.rating(ML1M, "1::1193::5::yesterday").reason())
                .isEqualTo("bad timestamp 'yesterday'");
        assertThat(MovieLensParsers.rating(ML1M, "1::1193::5::-5").reason())
                .isEqualTo("timestamp out of range '-5'");
        assertThat(MovieLensParsers.rating(ML100K, "196 242 3 881250949").reason())
                .startsWith("wrong field count: 1");
    }

    @Test
    void parsesMl1mMovieWithAllOrPrimaryGenres() {
        String line = "1::Toy Story (1995)::Animation|Children's|Comedy";
        Item all = MovieLensParsers.movie(ML1M, line, CategoryMapping.ALL).value();
        assertThat(all.title()).isEqualTo("Toy Story (1995)");
        assertThat(all.categories()).containsExactly("Animation", "Children's", "Comedy");
        Item primary = MovieLensParsers.movie(ML1M, line, CategoryMapping.PRIMARY).value();
        assertThat(primary.categories()).containsExactly("Animation");
    }

    @Test
    void keepsIso88591TitlesAsDecoded() {
        Item item =
                MovieLensParsers.movie(
                                ML1M,
                                "3::Bossa Nova (\u00c0 la carte) (1999)::Comedy",
                                CategoryMapping.ALL)
                        .value();
        assertThat(item.title()).contains("\u00c0");
    }

    @Test
    void parsesMl100kItemGenreFlags() {
        String flags = "0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";
        String line =
                "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy|" + flags;
        Item item = MovieLensParsers.movie(ML100K, line, CategoryMapping.ALL).value();
        assertThat(item.categories()).containsExactly("Animation", "Children's", "Comedy");
        assertThat(
                        MovieLensParsers.movie(ML100K, line, CategoryMapping.PRIMARY)
                                .value()
                                .categories())
                .containsExactly("Animation");
        String unknownOnly = "267|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";
        assertThat(
                        MovieLensParsers.movie(ML100K, unknownOnly, CategoryMapping.ALL)
                                .value()
                                .categories())
                .containsExactly("unknown");
    }

    @Test
    void rejectsBadMovies() {
        assertThat(MovieLensParsers.movie(ML1M, "1::Toy Story", CategoryMapping.ALL).reason())
                .isEqualTo("wrong field count: 2 (expected 3)");
        assertThat(MovieLensParsers.movie(ML1M, "1::Toy Story::", CategoryMapping.ALL).reason())
                .isEqualTo("item 1 has no genre");
        assertThat(
                        MovieLensParsers.movie(ML1M, "one::Toy Story::Comedy", CategoryMapping.ALL)
                                .reason())
                .isEqualTo("non-numeric item id 'one'");
        String badFlag = "1|T|||u|0|0|0|2|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";
        assertThat(MovieLensParsers.movie(ML100K, badFlag, CategoryMapping.ALL).reason())
                .isEqualTo("bad genre flag '2' for Animation (expected 0 or 1)");
    }

    @Test
    void parsesUsersOfBothFormats() {
        assertThat(MovieLensParsers.user(ML1M, "1::F::1::10::48067").value().fields())
                .isEqualTo(Map.of("gender", "F", "age", "1", "occupation", "10", "zip", "48067"));
        assertThat(MovieLensParsers.user(ML100K, "1|24|M|technician|85711").value().fields())
                .isEqualTo(
                        Map.of(
                                "gender",
                                "M",
                                "age",
                                "24",
                                "occupation",
                                "technician",
                                "zip",
                                "85711"));
        assertThat(MovieLensParsers.user(ML1M, "1::F::1::10").reason())
                .startsWith("wrong field count: 4");
        assertThat(MovieLensParsers.user(ML1M, "u1::F::1::10::48067").reason())
                .isEqualTo("non-numeric user id 'u1'");
    }

    @Test
    void ml100kGenreListHasNineteenEntries() {
        assertThat(MovieLensFormat.ML_100K_GENRES).hasSize(19).startsWith("unknown", "Action");
        assertThat(MovieLensFormat.ML_100K_GENRES.get(18)).isEqualTo("Western");
        assertThat(List.copyOf(MovieLensFormat.ML_100K_GENRES)).doesNotHaveDuplicates();
    }
}
