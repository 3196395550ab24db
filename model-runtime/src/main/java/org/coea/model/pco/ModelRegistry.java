package org.coea.model.pco;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model registry: one directory per PCO cycle ({@code v-0000} for the fine-tuned models before
 * any cycle, {@code v-0001}, ...) holding the models' files, and a {@code manifest.json} with the
 * SHA-256 of every file and the cycle's metrics. A version becomes visible only complete: it is
 * written under a hidden partial directory and renamed, so a run killed mid-cycle leaves at most a
 * partial directory, which {@link #cleanPartials} removes before the run resumes from {@link
 * #latest}. {@code CURRENT} names the version serving should use; {@link #rollbackTo} points it
 * back and moves the newer versions aside under {@code rolled-back/}.
 */
public final class ModelRegistry {
    /** The manifest file of a version. */
    public static final String MANIFEST = "manifest.json";

    /** The file naming the current version. */
    public static final String CURRENT = "CURRENT";

    private static final Pattern VERSION = Pattern.compile("v-(\\d{4,})");
    private static final String PARTIAL = ".partial-";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    /** A registry rooted at a local directory (created when missing). */
    public ModelRegistry(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** The directory name of a version. */
    public static String name(int version) {
        if (version < 0) {
            throw new IllegalArgumentException("versions are >= 0, got " + version);
        }
        return String.format(Locale.ROOT, "v-%04d", version);
    }

    /** The directory of a version (which may not exist). */
    public Path path(int version) {
        return root.resolve(name(version));
    }

    /**
     * A new empty partial directory for a version's files; {@link #publish} makes it the version.
     */
    public Path stage(int version) {
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "." + name(version) + PARTIAL);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory under " + root, e);
        }
    }

    /**
     * Publishes a staged directory as a version: writes the manifest (checksums of every file, the
     * metrics), renames the directory into place and points {@code CURRENT} at it.
     *
     * @throws IllegalStateException when the version exists
     */
    public Path publish(int version, Path staged, Map<String, ?> metrics) {
        Path target = path(version);
        if (Files.exists(target)) {
            throw new IllegalStateException(
                    "registry version " + target + " exists; versions are never overwritten");
        }
        try {
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", "coea-model-registry");
            manifest.put("version", version);
            ObjectNode files = manifest.putObject("files");
            for (Map.Entry<String, String> e : checksums(staged).entrySet()) {
                files.put(e.getKey(), e.getValue());
            }
            manifest.set("metrics", JSON.valueToTree(metrics));
            Files.writeString(
                    staged.resolve(MANIFEST),
                    JSON.writeValueAsString(manifest),
                    StandardCharsets.UTF_8);
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            writeCurrent(version);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish registry version " + target, e);
        }
    }

    /** The complete versions, ascending. */
    public List<Integer> versions() {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.forEach(
                    p -> {
                        Matcher m = VERSION.matcher(p.getFileName().toString());
                        if (m.matches() && Files.isRegularFile(p.resolve(MANIFEST))) {
                            out.add(Integer.parseInt(m.group(1)));
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** The newest complete version: where a resumed run continues from. */
    public OptionalInt latest() {
        List<Integer> v = versions();
        return v.isEmpty() ? OptionalInt.empty() : OptionalInt.of(v.get(v.size() - 1));
    }

    /** The version {@code CURRENT} names, or the newest complete one when it names none. */
    public OptionalInt current() {
        Path file = root.resolve(CURRENT);
        if (Files.isRegularFile(file)) {
            try {
                Matcher m = VERSION.matcher(Files.readString(file, StandardCharsets.UTF_8).strip());
                if (m.matches()) {
                    int v = Integer.parseInt(m.group(1));
                    if (versions().contains(v)) {
                        return OptionalInt.of(v);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return latest();
    }

    /** The metrics a version was published with. */
    public Map<String, Object> metrics(int version) {
        JsonNode n = manifest(version).path("metrics");
        return JSON.convertValue(n, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    /** The file checksums a version was published with (relative path to SHA-256). */
    public Map<String, String> files(int version) {
        JsonNode n = manifest(version).path("files");
        return JSON.convertValue(n, new TypeReference<TreeMap<String, String>>() {});
    }

    /**
     * Recomputes a version's checksums.
     *
     * @throws IllegalStateException naming the first file that is missing, extra or changed
     */
    public void verify(int version) {
        Map<String, String> expected = files(version);
        Map<String, String> actual = checksums(path(version));
        actual.remove(MANIFEST);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = actual.get(e.getKey());
            if (got == null) {
                throw new IllegalStateException(
                        "registry version " + name(version) + ": " + e.getKey() + " is missing");
            }
            if (!got.equals(e.getValue())) {
                throw new IllegalStateException(
                        "registry version "
                                + name(version)
                                + ": "
                                + e.getKey()
                                + " has checksum "
                                + got
                                + ", the manifest says "
                                + e.getValue());
            }
        }
        for (String extra : actual.keySet()) {
            if (!expected.containsKey(extra)) {
                throw new IllegalStateException(
                        "registry version "
                                + name(version)
                                + ": "
                                + extra
                                + " is not in the manifest");
            }
        }
    }

    /**
     * Points {@code CURRENT} back at a version after verifying it, and moves every newer version to
     * {@code rolled-back/} (so the next cycle is {@code version + 1} again).
     *
     * @return the versions moved aside
     */
    public List<Integer> rollbackTo(int version) {
        if (!versions().contains(version)) {
            throw new IllegalArgumentException(
                    "no complete registry version "
                            + name(version)
                            + " under "
                            + root
                            + "; versions: "
                            + versions());
        }
        verify(version);
        List<Integer> moved = new ArrayList<>();
        try {
            Path aside = root.resolve("rolled-back");
            Files.createDirectories(aside);
            for (int v : versions()) {
                if (v > version) {
                    Path to = aside.resolve(name(v) + "-" + System.currentTimeMillis());
                    Files.move(path(v), to, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(v);
                }
            }
            writeCurrent(version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot roll the registry back to " + name(version), e);
        }
        return moved;
    }

    /** Deletes the partial directories a killed run left; returns how many. */
    public int cleanPartials() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> partials = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().contains(PARTIAL)).forEach(partials::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        for (Path p : partials) {
            deleteTree(p);
        }
        return partials.size();
    }

    private void writeCurrent(int version) throws IOException {
        Path tmp = Files.createTempFile(root, "." + CURRENT, ".tmp");
        Files.writeString(tmp, name(version) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode manifest(int version) {
        Path file = path(version).resolve(MANIFEST);
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read registry manifest " + file, e);
        }
    }

    /** SHA-256 of every regular file under a directory, by relative path with '/' separators. */
    static Map<String, String> checksums(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                out.put(rel, sha256(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "ModelRegistry[" + root + ", versions " + versions() + "]";
    }
}
