package org.coea.common.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One typed configuration option: a dotted kebab-case key, a value type, an optional default and a
 * description. Build them with {@link ConfigOptions#key(String)}.
 *
 * @param <T> the value type
 */
public final class ConfigOption<T> {
    private final String key;
    private final String typeName;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final String description;

    ConfigOption(
            String key,
            String typeName,
            Function<String, T> parser,
            T defaultValue,
            String description) {
        this.key = Objects.requireNonNull(key, "key");
        this.typeName = typeName;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The key, as written in config files and (with a leading {@code --}) on the command line. */
    public String key() {
        return key;
    }

    /** A short name of the value type for help output, e.g. {@code int} or {@code all|primary}. */
    public String typeName() {
        return typeName;
    }

    /** The default value, empty when the option has none. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** What the option does. */
    public String description() {
        return description;
    }

    /** Whether the option is a boolean switch that may be given without a value. */
    public boolean isSwitch() {
        return "boolean".equals(typeName);
    }

    /**
     * Parses a raw value.
     *
     * @throws IllegalArgumentException naming the key and the value when it does not parse
     */
    public T parse(String raw) {
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "option "
                            + key
                            + ": cannot read '"
                            + raw
                            + "' as "
                            + typeName
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    ConfigOption<T> withDefault(T value, String description) {
        return new ConfigOption<>(key, typeName, parser, value, description);
    }

    @Override
    public String toString() {
        return key;
    }
}
