package org.coea.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line: {@code --key value}, {@code --key=value}, a bare {@code --switch} for
 * boolean options, and {@code --help}/{@code -h}.
 */
public final class CommandLine {
    /** The option every command takes to name a properties file. */
    public static final ConfigOption<String> CONFIG =
            ConfigOptions.key("config")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "A properties file of option values (key = value); command-line values win over it.");

    private final Map<String, String> values;
    private final boolean help;

    private CommandLine(Map<String, String> values, boolean help) {
        this.values = values;
        this.help = help;
    }

    /**
     * Parses arguments against the options a command accepts.
     *
     * @throws IllegalArgumentException for a stray argument, a missing value or an unknown option
     */
    public static CommandLine parse(String[] args, Collection<ConfigOption<?>> known) {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        known.forEach(o -> byKey.put(o.key(), o));
        byKey.put(CONFIG.key(), CONFIG);
        Map<String, String> values = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
                continue;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + a + "' (options are --key value; see --help)");
            }
            String key = a.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            ConfigOption<?> option = byKey.get(key);
            if (option == null) {
                // Resolution reports unknown keys with a suggestion; keep the raw value for it.
                if (value == null && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                }
                values.put(key, value == null ? "true" : value);
                continue;
            }
            if (value == null) {
                boolean next = i + 1 < args.length && !args[i + 1].startsWith("--");
                if (option.isSwitch()
                        && (!next
                                || !(args[i + 1].equalsIgnoreCase("true")
                                        || args[i + 1].equalsIgnoreCase("false")))) {
                    value = "true";
                } else if (next) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("option --" + key + " needs a value");
                }
            }
            if (values.put(key, value) != null) {
                throw new IllegalArgumentException("option --" + key + " given twice");
            }
        }
        return new CommandLine(values, help);
    }

    /** Whether {@code --help} was asked for. */
    public boolean help() {
        return help;
    }

    /**
     * Resolves the configuration: these command-line values over the {@code --config} file over
     * defaults.
     */
    public Configuration resolve(Collection<ConfigOption<?>> known) {
        Map<String, String> cli = new LinkedHashMap<>(values);
        String file = cli.remove(CONFIG.key());
        List<ConfigOption<?>> all = new ArrayList<>(known);
        return Configuration.resolve(all, cli, Optional.ofNullable(file).map(Path::of));
    }
}
