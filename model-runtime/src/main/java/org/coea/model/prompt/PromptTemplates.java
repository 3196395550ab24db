package org.coea.model.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The text templates of the three prompts and the system message they share, with {@code {{field}}}
 * placeholders filled from {@link PromptFields}.
 *
 * <p>The defaults are the resources {@code /org/coea/model/prompt/system.txt}, {@code profile.txt},
 * {@code novelty.txt} and {@code relevance.txt}; {@link #load(Path)} reads files of the same names
 * from a directory instead (for example templates without {@code {{profile}}} for the "w/o Long"
 * ablation). Placeholders are {@code {{csid}}}, {@code {{profile}}}, {@code
 * {{profile_categories}}}, {@code {{recent_categories}}}, {@code {{candidate}}} and {@code
 * {{histories}}}; the system message has none. Loading fails on an unknown placeholder or stray
 * braces, naming the template; rendering fails with a {@link MissingPromptFieldException} naming a
 * field the template uses but the fields lack. Surrounding whitespace of a template (a file's last
 * newline) is dropped.
 */
public final class PromptTemplates {
    /** The classpath folder of the default templates. */
    public static final String RESOURCE_FOLDER = "/org/coea/model/prompt/";

    /** The file name of the system message. */
    public static final String SYSTEM_FILE = "system.txt";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    private final String system;
    private final Map<PromptKind, Template> templates;

    private PromptTemplates(String system, Map<PromptKind, Template> templates) {
        this.system = system;
        this.templates = templates;
    }

    /** The templates shipped with this module. */
    public static PromptTemplates defaults() {
        return parse(name -> readResource(RESOURCE_FOLDER + name), "classpath " + RESOURCE_FOLDER);
    }

    /**
     * The templates in a directory, one file per {@link #fileName(PromptKind)} plus {@value
     * #SYSTEM_FILE}.
     *
     * @throws IllegalArgumentException naming the file when one is missing or malformed
     */
    public static PromptTemplates load(Path directory) {
        return parse(
                name -> {
                    Path file = directory.resolve(name);
                    if (!Files.isRegularFile(file)) {
                        throw new IllegalArgumentException("missing prompt template " + file);
                    }
                    try {
                        return Files.readString(file, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read prompt template " + file, e);
                    }
                },
                directory.toString());
    }

    /**
     * Templates given as text.
     *
     * @param templates one template per {@link PromptKind}
     * @throws IllegalArgumentException when a kind has no template or one is malformed
     */
    public static PromptTemplates of(String system, Map<PromptKind, String> templates) {
        Objects.requireNonNull(templates, "templates");
        return parse(
                name -> {
                    if (name.equals(SYSTEM_FILE)) {
                        return Objects.requireNonNull(system, "system");
                    }
                    PromptKind kind = kindOf(name);
                    String text = templates.get(kind);
                    if (text == null) {
                        throw new IllegalArgumentException("no template for " + kind);
                    }
                    return text;
                },
                "given templates");
    }

    /**
     * Writes the templates into a directory in the layout {@link #load} reads (creating it), so a
     * model saved with its prompts reads the same text when loaded.
     */
    public void save(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(
                    directory.resolve(SYSTEM_FILE), system + "\n", StandardCharsets.UTF_8);
            for (PromptKind kind : PromptKind.values()) {
                Files.writeString(
                        directory.resolve(fileName(kind)),
                        templates.get(kind).text() + "\n",
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write prompt templates to " + directory, e);
        }
    }

    /** The file name of a kind's template: {@code novelty.txt}. */
    public static String fileName(PromptKind kind) {
        return kind.name().toLowerCase(Locale.ROOT) + ".txt";
    }

    /** The system message. */
    public String system() {
        return system;
    }

    /**
     * A kind's template filled with the fields.
     *
     * @throws MissingPromptFieldException naming the first placeholder whose field is absent
     */
    public String render(PromptKind kind, PromptFields fields) {
        Objects.requireNonNull(fields, "fields");
        return templates.get(Objects.requireNonNull(kind, "kind")).render(kind, fields);
    }

    /** The placeholder names a kind's template uses, in order of first use. */
    public Set<String> placeholders(PromptKind kind) {
        return templates.get(kind).parts.stream()
                .filter(p -> p.field != null)
                .map(p -> p.field.placeholder())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private interface Source {
        String read(String fileName);
    }

    private static PromptTemplates parse(Source source, String where) {
        Template system = Template.parse(source.read(SYSTEM_FILE), SYSTEM_FILE, where);
        if (system.parts.stream().anyMatch(p -> p.field != null)) {
            throw new IllegalArgumentException(
                    SYSTEM_FILE + " in " + where + " may not hold placeholders");
        }
        Map<PromptKind, Template> templates = new EnumMap<>(PromptKind.class);
        for (PromptKind kind : PromptKind.values()) {
            String name = fileName(kind);
            templates.put(kind, Template.parse(source.read(name), name, where));
        }
        return new PromptTemplates(system.render(null, null), templates);
    }

    private static PromptKind kindOf(String fileName) {
        for (PromptKind kind : PromptKind.values()) {
            if (fileName(kind).equals(fileName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(fileName);
    }

    private static String readResource(String name) {
        try (InputStream in = PromptTemplates.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing prompt template resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt template resource " + name, e);
        }
    }

    /** A literal text or a field reference. */
    private record Part(String literal, PromptField field) {}

    private record Template(List<Part> parts) {
        static Template parse(String text, String name, String where) {
            String body = text.strip();
            List<Part> parts = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(body);
            int at = 0;
            while (m.find()) {
                parts.add(new Part(literal(body, at, m.start(), name, where), null));
                PromptField field = PromptField.of(m.group(1));
                if (field == null) {
                    throw new IllegalArgumentException(
                            "unknown placeholder {{"
                                    + m.group(1)
                                    + "}} in "
                                    + name
                                    + " ("
                                    + where
                                    + "); known: "
                                    + Arrays.stream(PromptField.values())
                                            .map(f -> "{{" + f.placeholder() + "}}")
                                            .collect(Collectors.joining(", ")));
                }
                parts.add(new Part(null, field));
                at = m.end();
            }
            parts.add(new Part(literal(body, at, body.length(), name, where), null));
            return new Template(List.copyOf(parts));
        }

        private static String literal(String body, int from, int to, String name, String where) {
            String literal = body.substring(from, to);
            if (literal.contains("{{") || literal.contains("}}")) {
                int line = (int) body.substring(0, from).chars().filter(c -> c == '\n').count();
                throw new IllegalArgumentException(
                        "stray '{{' or '}}' in "
                                + name
                                + " ("
                                + where
                                + ") after line "
                                + (line + 1)
                                + ": placeholders read {{name}}");
            }
            return literal;
        }

        /** The template as written, placeholders included. */
        String text() {
            StringBuilder sb = new StringBuilder();
            for (Part p : parts) {
                sb.append(p.field == null ? p.literal : "{{" + p.field.placeholder() + "}}");
            }
            return sb.toString();
        }

        String render(PromptKind kind, PromptFields fields) {
            StringBuilder sb = new StringBuilder();
            for (Part p : parts) {
                sb.append(p.field == null ? p.literal : p.field.text(fields, kind));
            }
            return sb.toString();
        }
    }
}
