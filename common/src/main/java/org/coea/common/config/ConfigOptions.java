package org.coea.common.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builder entry for {@link ConfigOption}s, in the style of Paimon's {@code ConfigOptions}:
 *
 * <pre>{@code
 * ConfigOption<Integer> N = ConfigOptions.key("sequences.short-length").intType()
 *     .defaultValue(10).withDescription("n, the short-term length");
 * }</pre>
 */
public final class ConfigOptions {
    private ConfigOptions() {}

    /** Starts an option with the given dotted kebab-case key. */
    public static KeyBuilder key(String key) {
        if (!key.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("option keys are dotted kebab-case: " + key);
        }
        return new KeyBuilder(key);
    }

    /** Chooses the type of an option. */
    public static final class KeyBuilder {
        private final String key;

        KeyBuilder(String key) {
            this.key = key;
        }

        /** A text value. */
        public TypedBuilder<String> stringType() {
            return new TypedBuilder<>(key, "string", s -> s);
        }

        /** A file or directory path or URI (local, {@code hdfs://}, {@code s3a://}). */
        public TypedBuilder<String> pathType() {
            return new TypedBuilder<>(key, "path", s -> s);
        }

        /** A 32-bit integer. */
        public TypedBuilder<Integer> intType() {
            return new TypedBuilder<>(key, "int", Integer::parseInt);
        }

        /** A 64-bit integer; accepts {@code _} separators such as {@code 1_000_000}. */
        public TypedBuilder<Long> longType() {
            return new TypedBuilder<>(key, "long", s -> Long.parseLong(s.replace("_", "")));
        }

        /** A floating-point number. */
        public TypedBuilder<Double> doubleType() {
            return new TypedBuilder<>(key, "double", Double::parseDouble);
        }

        /** A boolean; {@code true}/{@code false}. */
        public TypedBuilder<Boolean> booleanType() {
            return new TypedBuilder<>(
                    key,
                    "boolean",
                    s -> {
                        if (s.equalsIgnoreCase("true")) {
                            return true;
                        }
                        if (s.equalsIgnoreCase("false")) {
                            return false;
                        }
                        throw new IllegalArgumentException("expected true or false");
                    });
        }

        /**
         * One constant of an enum, written in lower-case kebab form (ENUM_NAME reads enum-name).
         */
        public <E extends Enum<E>> TypedBuilder<E> enumType(Class<E> type) {
            String names =
                    Arrays.stream(type.getEnumConstants())
                            .map(ConfigOptions::wireName)
                            .collect(Collectors.joining("|"));
            Function<String, E> parser =
                    s -> {
                        for (E e : type.getEnumConstants()) {
                            if (wireName(e).equalsIgnoreCase(s) || e.name().equalsIgnoreCase(s)) {
                                return e;
                            }
                        }
                        throw new IllegalArgumentException("expected one of " + names);
                    };
            return new TypedBuilder<>(key, names, parser);
        }
    }

    /** Sets the default (or none) of a typed option. */
    public static final class TypedBuilder<T> {
        private final String key;
        private final String typeName;
        private final Function<String, T> parser;

        TypedBuilder(String key, String typeName, Function<String, T> parser) {
            this.key = key;
            this.typeName = typeName;
            this.parser = parser;
        }

        /** The option has this default. */
        public Described<T> defaultValue(T value) {
            return new Described<>(key, typeName, parser, value);
        }

        /** The option has no default: absent unless given. */
        public Described<T> noDefaultValue() {
            return new Described<>(key, typeName, parser, null);
        }
    }

    /** Adds the description, the last required part. */
    public static final class Described<T> {
        private final String key;
        private final String typeName;
        private final Function<String, T> parser;
        private final T defaultValue;

        Described(String key, String typeName, Function<String, T> parser, T defaultValue) {
            this.key = key;
            this.typeName = typeName;
            this.parser = parser;
            this.defaultValue = defaultValue;
        }

        /** Finishes the option. */
        public ConfigOption<T> withDescription(String description) {
            return new ConfigOption<>(key, typeName, parser, defaultValue, description);
        }
    }

    /** The lower-case kebab form of an enum constant. */
    public static String wireName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
