package org.coea.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.coea.common.config.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code deploy/flink} and the Flink command lines in {@code deploy/} true to the code: each
 * FlinkDeployment parses as YAML, runs {@link CoeaFlink} with a job of {@link CoeaFlink#JOBS} and
 * only that job's options; the Kafka client ConfigMap is accepted by {@code
 * --kafka.client-properties} and keeps its secret out of the file. The shaded jar itself runs in
 * {@code ShadedJarITCase}.
 */
class DeployManifestTest {
    static final Path DEPLOY = Path.of("..", "deploy");

    private static Map<String, Set<String>> jobs() {
        return CoeaFlink.JOBS.stream()
                .collect(
                        Collectors.toMap(
                                FlinkJob::name,
                                j -> {
                                    Set<String> keys = new TreeSet<>();
                                    j.options().stream().map(ConfigOption::key).forEach(keys::add);
                                    keys.add("config");
                                    keys.add("help");
                                    return keys;
                                }));
    }

    private static void check(String where, List<String> args) {
        Map<String, Set<String>> jobs = jobs();
        assertThat(jobs).as("%s names the job '%s'", where, args.get(0)).containsKey(args.get(0));
        for (String a : args.subList(1, args.size())) {
            if (a.startsWith("--")) {
                String key = a.substring(2).split("=", 2)[0];
                assertThat(jobs.get(args.get(0)))
                        .as("%s: coea flink %s has no option --%s", where, args.get(0), key)
                        .contains(key);
            }
        }
    }

    @Test
    void flinkDeploymentsRunRealJobsWithRealOptions() throws IOException {
        Path f = DEPLOY.resolve("flink/flinkdeployment.yaml");
        Set<String> deployed = new TreeSet<>();
        try (MappingIterator<ObjectNode> it =
                new YAMLMapper().readerFor(ObjectNode.class).readValues(f.toFile())) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                String where = f + " " + doc.path("metadata").path("name").asText();
                if (doc.path("kind").asText().equals("ConfigMap")
                        && doc.path("data").has("client.properties")) {
                    // the Kafka client settings the jobs read with --kafka.client-properties
                    Path props = java.nio.file.Files.createTempFile("client", ".properties");
                    java.nio.file.Files.writeString(
                            props, doc.path("data").path("client.properties").asText());
                    assertThat(StreamOptions.clientProperties(props))
                            .as(where)
                            .containsKeys("security.protocol", "sasl.jaas.config");
                    assertThat(doc.path("data").path("client.properties").asText())
                            .as("%s: the secret is a config-provider reference", where)
                            .contains("sasl.jaas.config=${file:");
                    java.nio.file.Files.delete(props);
                    continue;
                }
                assertThat(doc.path("kind").asText()).as(where).isEqualTo("FlinkDeployment");
                JsonNode job = doc.path("spec").path("job");
                assertThat(job.path("entryClass").asText())
                        .as(where)
                        .isEqualTo(CoeaFlink.class.getName());
                assertThat(
                                doc.path("spec")
                                        .path("flinkConfiguration")
                                        .path("execution.checkpointing.dir")
                                        .asText())
                        .as("%s: checkpoint storage", where)
                        .isNotEmpty();
                List<String> args = new ArrayList<>();
                job.path("args").forEach(a -> args.add(a.asText()));
                check(where, args);
                deployed.add(args.get(0));
            }
        }
        assertThat(deployed).as("every streaming job is deployed").isEqualTo(jobs().keySet());
    }

    @Test
    void flinkCommandLinesInDeployReadmesUseRealJobsAndOptions() throws IOException {
        Pattern call =
                Pattern.compile(
                        "(?:flink run[^\\n]*?CoeaFlink\\s+\\S+|bin/coea flink)\\s+([a-z][a-z-]*)([^\\n]*)");
        String text = Files.readString(DEPLOY.resolve("README.md")).replace("\\\n", " ");
        Matcher m = call.matcher(text);
        int checked = 0;
        while (m.find()) {
            List<String> args = new ArrayList<>(List.of(m.group(1)));
            args.addAll(List.of(m.group(2).trim().split("\\s+")));
            check("deploy/README.md: " + m.group().trim(), args);
            checked++;
        }
        assertThat(checked).as("flink command lines in deploy/README.md").isPositive();
    }
}
