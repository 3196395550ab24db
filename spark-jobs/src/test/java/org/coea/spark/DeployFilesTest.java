package org.coea.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.coea.common.config.ConfigOption;
import org.coea.spark.eval.CompareCommand;
import org.coea.spark.store.HBaseInitCommand;
import org.coea.spark.store.LookupCommand;
import org.coea.stores.hbase.HBaseLayout;
import org.coea.stores.hbase.HBaseTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code deploy/} true to the code: every batch command and option that the submit scripts,
 * the SparkApplication manifests, the Airflow DAGs, the HBase table file and the READMEs name
 * exists in the spark-jobs CLI; the DAGs compile with Debian's python3; the manifests parse as
 * YAML. (The Flink manifests are checked in flink-jobs' {@code DeployManifestTest}.)
 */
class DeployFilesTest {
    static final Path DEPLOY = Path.of("..", "deploy");
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final List<String> DAGS =
            List.of("coea_common.py", "coea_daily.py", "coea_weekly_refresh.py");

    /** Command name -> the option keys it accepts. */
    static final Map<String, Set<String>> COMMANDS = new LinkedHashMap<>();

    @TempDir Path tmp;

    @BeforeAll
    static void commands() {
        for (Stage s : Stages.all()) {
            COMMANDS.put(s.name(), keys(CommonOptions.ALL, s.options()));
        }
        COMMANDS.put(RunJob.NAME, keys(CommonOptions.ALL, RunJob.options()));
        COMMANDS.put(CompareCommand.NAME, keys(CommonOptions.ALL, CompareCommand.options()));
        COMMANDS.put(
                LookupCommand.NAME,
                keys(List.of(CommonOptions.WAREHOUSE), LookupCommand.options()));
        COMMANDS.put(HBaseInitCommand.NAME, keys(List.of(), HBaseInitCommand.options()));
        COMMANDS.put("options-doc", keys(List.of(), List.of()));
    }

    private static Set<String> keys(List<ConfigOption<?>> a, List<ConfigOption<?>> b) {
        Set<String> keys = new TreeSet<>();
        Stream.concat(a.stream(), b.stream()).map(ConfigOption::key).forEach(keys::add);
        keys.add("config");
        keys.add("help");
        return keys;
    }

    /** Asserts that {@code command} exists and accepts every {@code --key} in {@code args}. */
    private static void checkInvocation(String where, String command, List<String> args) {
        assertThat(COMMANDS)
                .as("%s names the command '%s'; coea has %s", where, command, COMMANDS.keySet())
                .containsKey(command);
        for (String a : args) {
            if (a.startsWith("--")) {
                String key = a.substring(2).split("=", 2)[0];
                assertThat(COMMANDS.get(command))
                        .as("%s: coea %s has no option --%s", where, command, key)
                        .contains(key);
            }
        }
    }

    private static List<Path> files(String glob) throws IOException {
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            var matcher = DEPLOY.getFileSystem().getPathMatcher("glob:" + glob);
            return s.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        }
    }

    @Test
    void commandLinesInScriptsAndReadmesUseRealCommandsAndOptions() throws IOException {
        Pattern call =
                Pattern.compile(
                        "(?:coea-submit\\.sh|yarn-submit\\.sh|k8s-submit\\.sh|bin/coea)\\s+([a-z][a-z-]*)([^\\n]*)");
        List<Path> sources = new ArrayList<>(files("*.sh"));
        sources.addAll(files("*.md"));
        sources.add(Path.of("..", "docs", "operations.md"));
        int checked = 0;
        for (Path f : sources) {
            // join continuation lines, so an invocation reads as one line
            String text = Files.readString(f).replace("\\\n", " ").replaceAll("\n#\\s*", "\n");
            Matcher m = call.matcher(text);
            while (m.find()) {
                String command = m.group(1);
                if (command.equals("flink") || command.equals("stream")) {
                    continue; // bin/coea flink / stream: checked in flink-jobs
                }
                List<String> args = List.of(m.group(2).trim().split("\\s+"));
                checkInvocation(f + ": " + m.group().trim(), command, args);
                checked++;
            }
        }
        assertThat(checked)
                .as("invocations found in deploy/ and docs/operations.md")
                .isGreaterThan(5);
    }

    @Test
    void submitScriptsGiveEveryStageItsWarehouseAndEveryModelStageItsModelOptions()
            throws IOException {
        for (String script : List.of("spark/yarn-submit.sh", "spark/k8s-submit.sh")) {
            String text = Files.readString(DEPLOY.resolve(script));
            Matcher gpu = Pattern.compile("GPU_STAGES=\"([^\"]*)\"").matcher(text);
            assertThat(gpu.find()).as("%s defines GPU_STAGES", script).isTrue();
            for (String stage : gpu.group(1).split("\\s+")) {
                String modelOption = stage.equals("profiles") ? "profiles.model" : "pco.base-model";
                checkInvocation(
                        script + " (GPU stage)",
                        stage,
                        List.of("--warehouse", "--model.device", "--" + modelOption));
                assertThat(text).as(script).contains("--" + modelOption + " ");
            }
            Set<String> stageArgs = new TreeSet<>();
            Matcher m = Pattern.compile("STAGE_ARGS\\+?=\\(\\s*(--[a-z][a-z0-9.-]*)").matcher(text);
            while (m.find()) {
                stageArgs.add(m.group(1));
            }
            assertThat(stageArgs)
                    .as("%s: the options it appends to a stage", script)
                    .containsExactlyInAnyOrder(
                            "--warehouse",
                            "--profiles.model",
                            "--pco.base-model",
                            "--model.device");
            for (Stage s : Stages.all()) {
                checkInvocation(script + " (every stage)", s.name(), List.of("--warehouse"));
            }
            assertThat(text)
                    .as("%s: GPU executor settings", script)
                    .contains(
                            "spark.executor.resource.gpu.amount",
                            "spark.task.resource.gpu.amount",
                            "spark.executor.resource.gpu.discoveryScript",
                            "spark.driver.resource.gpu.amount",
                            "org.coea.spark.CoeaSpark");
        }
    }

    @Test
    void sparkApplicationManifestsParseAndRunRealStages() throws IOException {
        List<Path> manifests = files("sparkapplication-*.yaml");
        assertThat(manifests).hasSizeGreaterThanOrEqualTo(2);
        for (Path f : manifests) {
            for (JsonNode doc : yamlDocuments(f)) {
                assertThat(doc.path("kind").asText())
                        .as(f.toString())
                        .isEqualTo("SparkApplication");
                JsonNode spec = doc.path("spec");
                assertThat(spec.path("mainClass").asText())
                        .as(f.toString())
                        .isEqualTo(CoeaSpark.class.getName());
                List<String> args = new ArrayList<>();
                spec.path("arguments").forEach(a -> args.add(a.asText()));
                assertThat(args).as("%s: arguments", f).isNotEmpty();
                checkInvocation(f.toString(), args.get(0), args.subList(1, args.size()));
            }
        }
    }

    @Test
    void everyYamlFileInDeployParses() throws IOException {
        List<Path> yamls = files("*.yaml");
        assertThat(yamls).hasSizeGreaterThanOrEqualTo(3);
        for (Path f : yamls) {
            assertThat(yamlDocuments(f)).as("documents of %s", f).isNotEmpty();
        }
    }

    @Test
    void hbaseShellFileMatchesWhatHBaseInitCreatesByDefault() throws IOException {
        String text = Files.readString(DEPLOY.resolve("hbase/coea-tables.hbase"));
        String novelty =
                HBaseLayout.csidCodeSplits(
                                HBaseInitCommand.NOVELTY_REGIONS.defaultValue().orElseThrow())
                        .stream()
                        .map(s -> "'" + s + "'")
                        .collect(Collectors.joining(", ", "[", "]"));
        String users =
                Stream.of(HBaseInitCommand.USER_SPLITS.defaultValue().orElseThrow().split(","))
                        .map(s -> "'" + s + "'")
                        .collect(Collectors.joining(", ", "[", "]"));
        assertThat(text)
                .contains(
                        "create 'coea:novelty', {NAME => '"
                                + HBaseTables.noveltyFamily()
                                + "', VERSIONS => "
                                + HBaseLayout.MAX_VERSIONS
                                + ", TTL => 'FOREVER'}, SPLITS => "
                                + novelty,
                        "create 'coea:users', {NAME => '"
                                + HBaseTables.userFamily()
                                + "', VERSIONS => "
                                + HBaseLayout.MAX_VERSIONS
                                + ", TTL => 'FOREVER'}, SPLITS => "
                                + users,
                        "create_namespace 'coea'");
    }

    @Test
    void airflowDagsCompileWithDebiansPython() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "skipped: /usr/bin/python3 is absent");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-m", "py_compile"));
        DAGS.forEach(d -> cmd.add(DEPLOY.resolve("airflow").resolve(d).toString()));
        Result r = python(cmd);
        assertThat(r.status()).as("py_compile: %s", r.output()).isZero();
    }

    @Test
    void airflowDagsRunRealCommandsWithRealOptions() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "skipped: /usr/bin/python3 is absent");
        Path stub = tmp.resolve("airflow_args.py");
        try (var in = getClass().getResourceAsStream("/deploy/airflow_args.py")) {
            Files.copy(in, stub);
        }
        Result r =
                python(
                        List.of(
                                PYTHON.toString(),
                                "-B",
                                stub.toString(),
                                DEPLOY.resolve("airflow").toString(),
                                "coea_daily.py",
                                "coea_weekly_refresh.py"));
        assertThat(r.status()).as("the stub run: %s", r.output()).isZero();
        JsonNode tasks = new ObjectMapper().readTree(r.output());
        Set<String> commands = new TreeSet<>();
        for (JsonNode t : tasks) {
            String where = t.path("dag").asText() + " task " + t.path("task").asText();
            assertThat(t.path("java_class").asText())
                    .as(where)
                    .isEqualTo(CoeaSpark.class.getName());
            List<String> args = new ArrayList<>();
            t.path("args").forEach(a -> args.add(a.asText()));
            checkInvocation(where, args.get(0), args.subList(1, args.size()));
            commands.add(args.get(0));
        }
        assertThat(commands)
                .as("the daily and weekly cycles")
                .contains(
                        "hbase-init",
                        "ingest",
                        "split",
                        "sequences",
                        "pco-cycle",
                        "csa",
                        "groups",
                        "profiles",
                        "store",
                        "lookup");
        assertThat(r.output()).as("the run date reaches the jobs").contains("{{ ds }}");
    }

    record Result(int status, String output) {}

    private Result python(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PYTHONPYCACHEPREFIX", tmp.resolve("pycache").toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
        return new Result(p.exitValue(), out);
    }

    private static List<JsonNode> yamlDocuments(Path f) throws IOException {
        YAMLMapper mapper = new YAMLMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (var it = mapper.readerFor(ObjectNode.class).<ObjectNode>readValues(f.toFile())) {
            while (it.hasNextValue()) {
                docs.add(it.nextValue());
            }
        }
        return docs;
    }
}
