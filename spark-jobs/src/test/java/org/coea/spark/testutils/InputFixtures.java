package org.coea.spark.testutils;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Small generated input files in the formats ingest reads, with known content (and, where asked,
 * known malformed lines), so tests assert exact counts.
 */
public final class InputFixtures {
    private InputFixtures() {}

    /** Where the shared MovieLens-1M positives are, if present beside the project. */
    public static Optional<Path> movieLens1mPositives() {
        String shared = System.getProperty("coea.shared.dir", "../shared");
        Path dir = Path.of(shared, "data", "movielens-1m-pos");
        return Files.isRegularFile(dir.resolve("ratings.dat"))
                ? Optional.of(dir)
                : Optional.empty();
    }

    /**
     * An ML-1M directory: 4 movies (one with an ISO-8859-1 title), 3 users, 10 valid ratings, and
     * the given extra rating lines appended.
     */
    public static Path ml1m(Path dir, List<String> extraRatings) throws IOException {
        Files.createDirectories(dir);
        write(
                dir.resolve("movies.dat"),
                List.of(
                        "1::Toy Story (1995)::Animation|Children's|Comedy",
                        "2::Jumanji (1995)::Adventure|Children's|Fantasy",
                        "3::Cr\u00e8me Br\u00fbl\u00e9e (1998)::Drama",
                        "4::Heat (1995)::Action|Crime|Thriller"),
                StandardCharsets.ISO_8859_1);
        write(
                dir.resolve("users.dat"),
                List.of("1::F::1::10::48067", "2::M::56::16::70072", "3::M::25::15::55117"),
                StandardCharsets.ISO_8859_1);
        List<String> ratings =
                new java.util.ArrayList<>(
                        List.of(
                                "1::1::5::978300760",
                                "1::2::4::978300761",
                                "1::3::4::978300762",
                                "1::4::5::978300763",
                                "1::1::4::978300764",
                                "2::2::5::978300000",
                                "2::3::4::978300100",
                                "2::4::4::978300200",
                                "3::1::5::978309999",
                                "3::3::4::978310000"));
        ratings.addAll(extraRatings);
        write(dir.resolve("ratings.dat"), ratings, StandardCharsets.ISO_8859_1);
        return dir;
    }

    /** An ML-100K directory: 3 items (one only "unknown"), 2 users, 6 ratings. */
    public static Path ml100k(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(
                dir.resolve("u.item"),
                List.of(
                        "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0",
                        "2|GoldenEye (1995)|01-Jan-1995||http://y|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0",
                        "267|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0"),
                StandardCharsets.ISO_8859_1);
        write(
                dir.resolve("u.user"),
                List.of("1|24|M|technician|85711", "2|53|F|other|94043"),
                StandardCharsets.ISO_8859_1);
        write(
                dir.resolve("u.data"),
                List.of(
                        "1\t1\t5\t874965758",
                        "1\t2\t3\t876893171",
                        "1\t267\t4\t878542960",
                        "2\t1\t4\t888550871",
                        "2\t2\t2\t888551000",
                        "2\t267\t1\t888552000"),
                StandardCharsets.ISO_8859_1);
        return dir;
    }

    /** Writes lines with a trailing newline. */
    public static void write(Path file, List<String> lines, Charset charset) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", charset);
    }
}
