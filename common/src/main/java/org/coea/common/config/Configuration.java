package org.coea.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Resolved option values. The one place where precedence is applied: a value from the command line
 * wins over one from the config file, which wins over the option's default.
 *
 * <p>Config files are Java properties files ({@code key = value} lines, {@code #} comments) using
 * the same keys as the command line without the leading {@code --}. Unknown keys in either place
 * are an error that names the key, so a typo never goes unnoticed.
 */
public final class Configuration {
    /** Where a value came from, for {@code --help} and logs. */
    public enum Source {
        COMMAND_LINE,
        CONFIG_FILE,
        DEFAULT
    }

    private final Map<String, ConfigOption<?>> options;
    private final Map<String, String> commandLine;
    private final Map<String, String> configFile;

    private Configuration(
            Map<String, ConfigOption<?>> options,
            Map<String, String> commandLine,
            Map<String, String> configFile) {
        this.options = options;
        this.commandLine = commandLine;
        this.configFile = configFile;
    }

    /**
     * Resolves the values of the known options.
     *
     * @param known the options this command accepts
     * @param commandLine raw values given on the command line, by key
     * @param configFile a properties file, or empty
     * @throws IllegalArgumentException for an unknown key, a value that does not parse, or a
     *     missing config file (naming it)
     */
    public static Configuration resolve(
            Collection<ConfigOption<?>> known,
            Map<String, String> commandLine,
            Optional<Path> configFile) {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        for (ConfigOption<?> o : known) {
            ConfigOption<?> prev = byKey.put(o.key(), o);
            if (prev != null && prev != o) {
                throw new IllegalStateException("two options share the key " + o.key());
            }
        }
        Map<String, String> fromFile =
                configFile.isPresent() ? readProperties(configFile.get()) : Map.of();
        checkKnown(byKey, commandLine, "command line option --");
        checkKnown(
                byKey,
                fromFile,
                "config file " + configFile.map(Path::toString).orElse("") + " key ");
        Configuration conf =
                new Configuration(
                        Collections.unmodifiableMap(byKey),
                        Map.copyOf(commandLine),
                        Map.copyOf(fromFile));
        // Parse every given value now so a bad one fails before any work starts.
        for (ConfigOption<?> o : byKey.values()) {
            conf.optional(o);
        }
        return conf;
    }

    private static void checkKnown(
            Map<String, ConfigOption<?>> known, Map<String, String> given, String what) {
        for (String key : given.keySet()) {
            if (!known.containsKey(key)) {
                throw new IllegalArgumentException(
                        "unknown " + what + key + suggestion(known.keySet(), key));
            }
        }
    }

    private static String suggestion(Collection<String> keys, String key) {
        String tail = key.contains(".") ? key.substring(key.lastIndexOf('.') + 1) : key;
        List<String> close = new ArrayList<>();
        for (String k : keys) {
            if (k.endsWith(tail) || k.startsWith(key) || key.startsWith(k)) {
                close.add(k);
            }
        }
        return close.isEmpty()
                ? " (see --help)"
                : " (did you mean " + String.join(", ", close) + "?)";
    }

    private static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file not found: " + file, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
        }
        Map<String, String> out = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name));
        }
        return out;
    }

    /** The value of an option, empty when it is neither given nor defaulted. */
    public <T> Optional<T> optional(ConfigOption<T> option) {
        requireKnown(option);
        String raw = commandLine.get(option.key());
        if (raw == null) {
            raw = configFile.get(option.key());
        }
        return raw != null ? Optional.of(option.parse(raw)) : option.defaultValue();
    }

    /**
     * The value of an option.
     *
     * @throws IllegalArgumentException naming the option when it has no value
     */
    public <T> T get(ConfigOption<T> option) {
        return optional(option)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "missing required option --" + option.key()));
    }

    /** Whether the option was given on the command line or in the config file. */
    public boolean isSet(ConfigOption<?> option) {
        return source(option) != Source.DEFAULT;
    }

    /** Where the option's value comes from. */
    public Source source(ConfigOption<?> option) {
        requireKnown(option);
        if (commandLine.containsKey(option.key())) {
            return Source.COMMAND_LINE;
        }
        if (configFile.containsKey(option.key())) {
            return Source.CONFIG_FILE;
        }
        return Source.DEFAULT;
    }

    /** The options this configuration knows, in declaration order. */
    public Collection<ConfigOption<?>> options() {
        return options.values();
    }

    private void requireKnown(ConfigOption<?> option) {
        if (options.get(option.key()) != option) {
            throw new IllegalArgumentException(
                    "option --" + option.key() + " is not accepted by this command");
        }
    }
}
