package org.coea.common.config;

import java.util.Collection;
import java.util.Locale;

/** Renders options for {@code --help} and for the generated configuration reference. */
public final class OptionsHelp {
    private OptionsHelp() {}

    /** Plain-text help: one block per option with its type, default and description. */
    public static String text(Collection<ConfigOption<?>> options) {
        StringBuilder sb = new StringBuilder();
        for (ConfigOption<?> o : options) {
            sb.append(String.format(Locale.ROOT, "  --%s <%s>%n", o.key(), o.typeName()));
            sb.append("      ").append(o.description()).append(System.lineSeparator());
            sb.append("      default: ")
                    .append(o.defaultValue().map(String::valueOf).orElse("(none)"))
                    .append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "  --%s <path>%n", CommandLine.CONFIG.key()));
        sb.append("      ").append(CommandLine.CONFIG.description()).append(System.lineSeparator());
        return sb.toString();
    }

    /** A Markdown table of the options, for {@code docs/configuration.md}. */
    public static String markdown(Collection<ConfigOption<?>> options) {
        StringBuilder sb =
                new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        for (ConfigOption<?> o : options) {
            sb.append("| `")
                    .append(o.key())
                    .append("` | ")
                    .append(o.typeName().replace("|", "\\|"))
                    .append(" | ")
                    .append(o.defaultValue().map(v -> "`" + v + "`").orElse(""))
                    .append(" | ")
                    .append(o.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
