package org.coea.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
    enum Mode {
        ALL,
        ONE_PRIMARY
    }

    static final ConfigOption<String> WAREHOUSE =
            ConfigOptions.key("warehouse")
                    .pathType()
                    .defaultValue("./warehouse")
                    .withDescription("root");
    static final ConfigOption<Integer> LENGTH =
            ConfigOptions.key("sequences.short-length")
                    .intType()
                    .defaultValue(10)
                    .withDescription("n");
    static final ConfigOption<Double> RATE =
            ConfigOptions.key("ingest.max-reject-rate")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription("r");
    static final ConfigOption<Boolean> SYNTH =
            ConfigOptions.key("synthetic").booleanType().defaultValue(false).withDescription("s");
    static final ConfigOption<Mode> MODE =
            ConfigOptions.key("mode")
                    .enumType(Mode.class)
                    .defaultValue(Mode.ALL)
                    .withDescription("m");
    static final ConfigOption<String> MOVIELENS =
            ConfigOptions.key("movielens").pathType().noDefaultValue().withDescription("dir");
    static final List<ConfigOption<?>> ALL =
            List.of(WAREHOUSE, LENGTH, RATE, SYNTH, MODE, MOVIELENS);

    @TempDir Path dir;

    @Test
    void commandLineBeatsConfigFileBeatsDefault() throws Exception {
        Path file = dir.resolve("coea.properties");
        Files.writeString(file, "sequences.short-length = 7\ningest.max-reject-rate=0.5\n");
        Configuration conf =
                CommandLine.parse(
                                new String[] {
                                    "--config", file.toString(), "--ingest.max-reject-rate", "0.25"
                                },
                                ALL)
                        .resolve(ALL);
        assertThat(conf.get(RATE)).isEqualTo(0.25);
        assertThat(conf.source(RATE)).isEqualTo(Configuration.Source.COMMAND_LINE);
        assertThat(conf.get(LENGTH)).isEqualTo(7);
        assertThat(conf.source(LENGTH)).isEqualTo(Configuration.Source.CONFIG_FILE);
        assertThat(conf.get(WAREHOUSE)).isEqualTo("./warehouse");
        assertThat(conf.source(WAREHOUSE)).isEqualTo(Configuration.Source.DEFAULT);
        assertThat(conf.optional(MOVIELENS)).isEmpty();
    }

    @Test
    void readsSwitchesEqualsFormAndEnums() {
        Configuration conf =
                CommandLine.parse(
                                new String[] {
                                    "--synthetic", "--mode=one-primary", "--movielens", "/d"
                                },
                                ALL)
                        .resolve(ALL);
        assertThat(conf.get(SYNTH)).isTrue();
        assertThat(conf.get(MODE)).isEqualTo(Mode.ONE_PRIMARY);
        assertThat(conf.get(MOVIELENS)).isEqualTo("/d");
        assertThat(
                        CommandLine.parse(new String[] {"--synthetic", "false"}, ALL)
                                .resolve(ALL)
                                .get(SYNTH))
                .isFalse();
    }

    @Test
    void failsClearlyOnBadInput() {
        assertThatThrownBy(
                        () ->
                                CommandLine.parse(new String[] {"--short-length", "3"}, ALL)
                                        .resolve(ALL))
                .hasMessageContaining("unknown command line option --short-length")
                .hasMessageContaining("sequences.short-length");
        assertThatThrownBy(
                        () ->
                                CommandLine.parse(
                                                new String[] {"--sequences.short-length", "x"}, ALL)
                                        .resolve(ALL))
                .hasMessageContaining("sequences.short-length")
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"stray"}, ALL))
                .hasMessageContaining("stray");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--warehouse"}, ALL))
                .hasMessageContaining("--warehouse needs a value");
        assertThatThrownBy(
                        () -> CommandLine.parse(new String[] {"--mode", "some"}, ALL).resolve(ALL))
                .hasMessageContaining("all|one-primary");
        assertThatThrownBy(
                        () ->
                                CommandLine.parse(
                                                new String[] {
                                                    "--config", dir.resolve("nope").toString()
                                                },
                                                ALL)
                                        .resolve(ALL))
                .hasMessageContaining("config file not found")
                .hasMessageContaining("nope");
        assertThatThrownBy(
                        () ->
                                Configuration.resolve(
                                                List.of(LENGTH),
                                                java.util.Map.of(),
                                                java.util.Optional.empty())
                                        .get(MOVIELENS))
                .hasMessageContaining("not accepted");
    }

    @Test
    void unknownKeyInConfigFileNamesFileAndKey() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "ingest.max-reject-rat = 0.1\n");
        assertThatThrownBy(
                        () ->
                                CommandLine.parse(new String[] {"--config", file.toString()}, ALL)
                                        .resolve(ALL))
                .hasMessageContaining("bad.properties")
                .hasMessageContaining("ingest.max-reject-rat");
    }

    @Test
    void helpListsEveryOptionWithDefault() {
        String help = OptionsHelp.text(ALL);
        assertThat(help)
                .contains("--warehouse <path>", "default: ./warehouse", "--mode <all|one-primary>")
                .contains("--movielens <path>", "default: (none)", "--config <path>");
        assertThat(OptionsHelp.markdown(ALL))
                .contains("| `sequences.short-length` | int | `10` | n |");
    }

    @Test
    void keysMustBeDottedKebabCase() {
        assertThatThrownBy(() -> ConfigOptions.key("Bad_Key")).hasMessageContaining("Bad_Key");
    }
}
