package org.coea.common.ingest;

import java.util.List;
import java.util.function.Predicate;

/**
 * The two GroupLens MovieLens layouts the ingest stage reads, told apart by their file names.
 *
 * <p>ML-1M: {@code ratings.dat}, {@code movies.dat}, {@code users.dat}, fields separated by {@code
 * ::}. ML-100K: {@code u.data} (tab-separated), {@code u.item} and {@code u.user} ({@code
 * |}-separated). Both are ISO-8859-1 text.
 */
public enum MovieLensFormat {
    ML_1M("ratings.dat", "movies.dat", "users.dat"),
    ML_100K("u.data", "u.item", "u.user");

    /**
     * The 19 genres of ML-100K in {@code u.genre} index order; {@code u.item} carries one 0/1 flag
     * per genre in this order.
     */
    public static final List<String> ML_100K_GENRES =
            List.of(
                    "unknown",
                    "Action",
                    "Adventure",
                    "Animation",
                    "Children's",
                    "Comedy",
                    "Crime",
                    "Documentary",
                    "Drama",
                    "Fantasy",
                    "Film-Noir",
                    "Horror",
                    "Musical",
                    "Mystery",
                    "Romance",
                    "Sci-Fi",
                    "Thriller",
                    "War",
                    "Western");

    private final String ratingsFile;
    private final String itemsFile;
    private final String usersFile;

    MovieLensFormat(String ratingsFile, String itemsFile, String usersFile) {
        this.ratingsFile = ratingsFile;
        this.itemsFile = itemsFile;
        this.usersFile = usersFile;
    }

    /** The ratings (events) file name. */
    public String ratingsFile() {
        return ratingsFile;
    }

    /** The movies (items) file name. */
    public String itemsFile() {
        return itemsFile;
    }

    /** The users (features) file name. */
    public String usersFile() {
        return usersFile;
    }

    /**
     * Detects the layout of a directory.
     *
     * @param dir the directory, for the error message
     * @param exists whether a file of that name exists in the directory
     * @throws IllegalArgumentException naming the directory when neither layout is there
     */
    public static MovieLensFormat detect(String dir, Predicate<String> exists) {
        for (MovieLensFormat f : values()) {
            if (exists.test(f.ratingsFile)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "not a MovieLens directory: "
                        + dir
                        + " (expected ratings.dat, movies.dat, users.dat for ML-1M or u.data, u.item,"
                        + " u.user for ML-100K)");
    }
}
