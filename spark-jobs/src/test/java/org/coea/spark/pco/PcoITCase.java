package org.coea.spark.pco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.split.SplitMode;
import org.coea.common.store.NovelCategory;
import org.coea.common.store.NoveltyEntry;
import org.coea.common.store.NoveltyKey;
import org.coea.common.store.NoveltyRetriever;
import org.coea.common.testutils.Fixtures;
import org.coea.model.pco.ModelRegistry;
import org.coea.model.prompt.PromptKind;
import org.coea.model.prompt.PromptTemplates;
import org.coea.model.testutils.TinyChatCheckpoint;
import org.coea.spark.csa.CsaJob;
import org.coea.spark.csa.CsaOptions;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.groups.GroupsOptions;
import org.coea.spark.groups.ProfilesJob;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.sequences.SequencesOptions;
import org.coea.spark.split.SplitJob;
import org.coea.spark.split.SplitOptions;
import org.coea.spark.store.StoreJob;
import org.coea.spark.store.StoreOptions;
import org.coea.spark.testutils.IngestOptionsFixtures;
import org.coea.spark.testutils.SparkTestSession;
import org.coea.spark.warehouse.Warehouse;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PCO stages end to end on a small synthetic warehouse (Spark local[2], RocksDB store): the
 * datasets, both trainers, generate, score, store and three cycles; a run killed mid-cycle that
 * resumes to the same registry and store; and a rollback.
 */
class PcoITCase {
    static final PcoOptions O = PcoOptions.defaults(17).withCycles(3, 0.3).withSteps(80, 80, 3, 3);

    @TempDir static Path tmp;
    static Path base;

    /** One warehouse up to score; each test copies it. */
    @BeforeAll
    static void warehouseUpToScore() throws Exception {
        SparkSession spark = SparkTestSession.get();
        base = tmp.resolve("base");
        Warehouse w = new Warehouse(spark, base.toString());
        new IngestJob(true)
                .run(spark, w, IngestOptionsFixtures.synthetic(Fixtures.smallSyntheticSpec(4)));
        new SplitJob().run(spark, w, new SplitOptions(SplitMode.PER_USER, 0.2, 0.2, 2, 3, 0.2));
        new SequencesJob().run(spark, w, new SequencesOptions(1.0, 50, 10, 3));
        new CsaJob().run(spark, w, CsaOptions.small(16, 1, 2, 50, 2, 32, 7));
        new GroupsJob().run(spark, w, new GroupsOptions(2, 4, 5, 3, 8, 5, 64, 1e-3, 100_000, 11));
        new ProfilesJob().run(spark, w);

        StageMetrics d = new PcoDatasetsJob().run(spark, w, O);
        assertThat((Long) d.figures().get("novelty_examples")).isPositive();
        assertThat((Long) d.figures().get("relevance_pairs")).isPositive();
        assertThat(d.figures()).containsEntry("slices", 4L);
        // Every Eq. 8 target is new to the user: never among the categories of earlier clicks.
        for (Row r : w.read(PcoTables.NOVELTY_SFT, PcoDatasetsJob.NAME).collectAsList()) {
            assertThat(r.<Integer>getList(3)).doesNotContain(r.getInt(4));
        }
        for (Row r : w.read(PcoTables.RELEVANCE_PAIRS, PcoDatasetsJob.NAME).collectAsList()) {
            assertThat(r.<Integer>getList(3)).doesNotContain(r.getInt(4), r.getInt(5));
            assertThat(r.getInt(4)).isNotEqualTo(r.getInt(5));
        }

        StageMetrics n = new NoveltyTrainJob().run(spark, w, O);
        assertThat(n.figures()).containsKeys("holdout_token_accuracy", "holdout_hit_at_n");
        StageMetrics r = new RelevanceTrainJob().run(spark, w, O);
        assertThat((Double) r.figures().get("holdout_pair_accuracy"))
                .as("the relevance model beats chance on held-out users")
                .isGreaterThan(0.55);
        StageMetrics g = new GenerateJob().run(spark, w, O);
        assertThat((Long) g.figures().get("keys"))
                .isEqualTo(
                        w.read("sequences", "sequences")
                                .join(w.read("user_groups", "groups"), "user_id")
                                .select("csid", "short_hash")
                                .distinct()
                                .count());
        new ScoreJob().run(spark, w, O);
        long categories = w.read("train_categories", "split").count();
        for (Row c : w.read(PcoTables.CANDIDATES, GenerateJob.NAME).collectAsList()) {
            Set<Integer> set = new HashSet<>(c.getList(1));
            List<Row> cands = c.getList(4);
            assertThat(cands).hasSize((int) Math.min(O.candidates(), categories - set.size()));
            for (Row x : cands) {
                assertThat(set)
                        .as("Eq. 10: proposals outside the short-term set")
                        .doesNotContain(x.getInt(0));
            }
        }
        for (Row k : w.read(PcoTables.NOVEL_CATEGORIES, ScoreJob.NAME).collectAsList()) {
            List<Row> cats = k.getList(3);
            for (int i = 0; i < cats.size(); i++) {
                assertThat(cats.get(i).getDouble(1)).isGreaterThanOrEqualTo(O.gamma());
                if (i > 0) {
                    assertThat(cats.get(i).getDouble(1))
                            .isLessThanOrEqualTo(cats.get(i - 1).getDouble(1));
                }
            }
        }
    }

    static Warehouse copy(String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(base.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return new Warehouse(SparkTestSession.get(), to.toString());
    }

    static StoreOptions rocksDb(Warehouse w) {
        return new StoreOptions(StoreSettings.rocksDb(Path.of(w.root()).resolve("store")));
    }

    static StageMetrics cycles(Warehouse w, PcoOptions o, CycleHooks hooks) {
        SparkSession spark = SparkTestSession.get();
        return new PcoCycleJob().run(spark, w, o, new StoreBridge(spark, w, rocksDb(w)), hooks);
    }

    @Test
    void cyclesWriteVersionsMetricsAndTheStoreThenRollBack() throws Exception {
        Warehouse w = copy("full");
        SparkSession spark = SparkTestSession.get();
        new StoreJob().run(spark, w, rocksDb(w));
        StageMetrics m = cycles(w, O, CycleHooks.NONE);
        assertThat(m.figures()).containsEntry("cycles_completed", 3L);
        List<Map<String, Object>> list = (List<Map<String, Object>>) m.figures().get("cycles");
        assertThat(list).hasSize(3);
        for (Map<String, Object> c : list) {
            assertThat(c)
                    .containsKeys(
                            "sampled",
                            "dpo_pairs",
                            "dpo_margin",
                            "kl",
                            "keys",
                            "mean_kept",
                            "valid_novelty_at_5",
                            "valid_hit_at_5");
        }
        ModelRegistry registry = new ModelRegistry(Path.of(w.root()).resolve(PcoCycleJob.REGISTRY));
        assertThat(registry.versions()).containsExactly(0, 1, 2, 3);
        for (int v : registry.versions()) {
            registry.verify(v);
            assertThat(registry.files(v))
                    .containsKeys(
                            "novelty/model.safetensors",
                            "relevance/model.safetensors",
                            PcoCycleJob.NOVEL_FILE);
            if (v > 0) {
                assertThat(registry.files(v))
                        .containsKey("novelty/adapter/adapter_model.safetensors");
            }
        }
        assertThat(Files.readString(Path.of(w.root(), "_metrics", "pco-cycle.json")))
                .contains("\"cycles_completed\" : 3");

        // The store serves version 3's entries; the retriever answers known and unknown users.
        Row any = w.read(PcoTables.NOVEL_CATEGORIES, ScoreJob.NAME).first();
        assertThat(any.getString(4)).isEqualTo("v-0003");
        try (OpenedStores s = OpenedStores.open(rocksDb(w).settings())) {
            NoveltyKey key = NoveltyKey.parse(any.getString(0) + ":" + any.getString(2));
            NoveltyEntry e = s.noveltyStore().get(key).orElseThrow();
            assertThat(e.modelVersion()).isEqualTo("v-0003");
            assertThat(e.categories())
                    .extracting(NovelCategory::categoryId)
                    .doesNotContainAnyElementsOf(any.getList(1));
            NoveltyRetriever retriever = new NoveltyRetriever(s.noveltyStore(), s.userStore());
            assertThat(retriever.retrieve("999999").coldStart()).isTrue();
        }

        // Rollback: version 1 is current again, 2 and 3 moved aside, the store serves v-0001.
        PcoOptions back = O.with(Ablation.NONE, Optional.of(1), O.guardDrop());
        cycles(w, back, CycleHooks.NONE);
        assertThat(registry.versions()).containsExactly(0, 1);
        assertThat(registry.current()).hasValue(1);
        try (OpenedStores s = OpenedStores.open(rocksDb(w).settings())) {
            NoveltyKey key = NoveltyKey.parse(any.getString(0) + ":" + any.getString(2));
            assertThat(s.noveltyStore().get(key).orElseThrow().modelVersion()).isEqualTo("v-0001");
        }
        assertThatThrownBy(
                        () ->
                                cycles(
                                        w,
                                        O.with(Ablation.NONE, Optional.of(7), 0.5),
                                        CycleHooks.NONE))
                .hasMessageContaining("v-0007");
    }

    @Test
    void aRunKilledMidCycleResumesToTheSameRegistryAndStore() throws Exception {
        Warehouse a = copy("a");
        Warehouse b = copy("b");
        SparkSession spark = SparkTestSession.get();
        new StoreJob().run(spark, a, rocksDb(a));
        new StoreJob().run(spark, b, rocksDb(b));
        cycles(a, O, CycleHooks.NONE);

        CycleHooks crashAt2 =
                (cycle, phase) -> {
                    if (cycle == 2 && phase.equals("dpo")) {
                        throw new IllegalStateException("injected crash in cycle 2 after DPO");
                    }
                };
        assertThatThrownBy(() -> cycles(b, O, crashAt2)).hasMessageContaining("injected crash");
        CycleHooks crashAt3 =
                (cycle, phase) -> {
                    if (cycle == 3 && phase.equals("published")) {
                        throw new IllegalStateException(
                                "injected crash in cycle 3 before the store");
                    }
                };
        assertThatThrownBy(() -> cycles(b, O, crashAt3)).hasMessageContaining("injected crash");
        StageMetrics resumed = cycles(b, O, CycleHooks.NONE);
        assertThat(resumed.figures()).containsEntry("resumed_from", 3L);

        ModelRegistry ra = new ModelRegistry(Path.of(a.root()).resolve(PcoCycleJob.REGISTRY));
        ModelRegistry rb = new ModelRegistry(Path.of(b.root()).resolve(PcoCycleJob.REGISTRY));
        assertThat(rb.versions()).isEqualTo(ra.versions()).containsExactly(0, 1, 2, 3);
        for (int v : ra.versions()) {
            assertThat(rb.files(v)).as("checksums of version %d", v).isEqualTo(ra.files(v));
        }
        List<Row> keys = a.read(PcoTables.NOVEL_CATEGORIES, ScoreJob.NAME).collectAsList();
        List<String> diffs = new ArrayList<>();
        try (OpenedStores sa = OpenedStores.open(rocksDb(a).settings());
                OpenedStores sb = OpenedStores.open(rocksDb(b).settings())) {
            assertThat(sb.noveltyStore().currentVersion())
                    .isEqualTo(sa.noveltyStore().currentVersion());
            for (Row k : keys) {
                NoveltyKey key = NoveltyKey.parse(k.getString(0) + ":" + k.getString(2));
                if (!sa.noveltyStore().get(key).equals(sb.noveltyStore().get(key))) {
                    diffs.add(key.render());
                }
            }
            assertThat(keys).isNotEmpty();
            assertThat(sa.userStore().defaultCsid()).isEqualTo(sb.userStore().defaultCsid());
        }
        assertThat(diffs).as("keys whose entries differ").isEmpty();
    }

    @Test
    void ablationsChangeWhatThePromptsShowAndWhatIsKept() throws Exception {
        SparkSession spark = SparkTestSession.get();
        for (Ablation ablation :
                List.of(Ablation.NO_RELEVANCE, Ablation.NO_SHORT, Ablation.NO_KL)) {
            Warehouse w = copy("ablation-" + ablation);
            PcoOptions o =
                    O.withCycles(1, 0.3)
                            .withSteps(20, 20, 2, 2)
                            .with(ablation, Optional.empty(), 1.0);
            new NoveltyTrainJob().run(spark, w, o);
            new GenerateJob().run(spark, w, o);
            StageMetrics score = new ScoreJob().run(spark, w, o);
            new StoreJob().run(spark, w, rocksDb(w));
            StageMetrics m = cycles(w, o, CycleHooks.NONE);
            assertThat(m.figures())
                    .containsEntry("cycles_completed", 1L)
                    .containsEntry(
                            "ablation",
                            ablation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            Map<String, Object> cycle =
                    ((List<Map<String, Object>>) m.figures().get("cycles")).get(0);
            if (ablation == Ablation.NO_RELEVANCE) {
                // Unfiltered: every key keeps all N proposals, scored by the Novelty probability.
                assertThat(score.figures()).containsEntry("relevance_model", false);
                assertThat(score.figures()).containsEntry("empty_keys", 0L);
                assertThat(cycle).doesNotContainKey("relevance_pairs");
                assertThat(
                                new ModelRegistry(Path.of(w.root()).resolve(PcoCycleJob.REGISTRY))
                                        .files(1))
                        .noneSatisfy((k, v) -> assertThat(k).startsWith("relevance/"));
            }
            if (ablation == Ablation.NO_KL) {
                assertThat(m.figures()).containsEntry("lambda", 0.0);
            }
            if (ablation == Ablation.NO_SHORT) {
                assertThat(
                                Files.readString(
                                        Path.of(
                                                w.root(),
                                                "models",
                                                NoveltyTrainJob.MODEL,
                                                "pco.json")))
                        .contains("\"short_term\":false");
            }
        }
    }

    /**
     * The production path on a tiny random HuggingFace checkpoint (pco.base-model): the same stages
     * fine-tune LoRA adapters (and the reward head) on a frozen base, save adapters only, and a
     * cycle continues the Novelty adapter by DPO.
     */
    @Test
    void aHuggingFaceCheckpointRunsTheSameStagesWithLoraAdapters() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Warehouse w = copy("checkpoint");
        Path ckpt = TinyChatCheckpoint.write(tmp.resolve("tiny-qwen"), 3);
        // The tiny byte-level tokenizer spends a token per character: short templates, with the
        // group's dominant categories instead of its profile text.
        Path prompts = tmp.resolve("short-prompts");
        PromptTemplates.of(
                        "Be brief.",
                        Map.of(
                                PromptKind.NOVELTY,
                                "Group: {{profile_categories}}. Recent: {{recent_categories}}."
                                        + " New?",
                                PromptKind.RELEVANCE,
                                "Group: {{profile_categories}}. Recent: {{recent_categories}}."
                                        + " Take {{candidate}}?",
                                PromptKind.PROFILE,
                                "{{histories}}"))
                .save(prompts);
        PcoOptions o =
                O.withCycles(1, 0.03)
                        .withSteps(8, 8, 2, 2)
                        .withBaseModel(ckpt.toString(), Optional.of(prompts.toString()));
        StageMetrics n = new NoveltyTrainJob().run(spark, w, o);
        assertThat((Double) n.figures().get("holdout_hit_at_n")).isPositive();
        new RelevanceTrainJob().run(spark, w, o);
        Path novelty = Path.of(w.root(), "models", NoveltyTrainJob.MODEL);
        Path relevance = Path.of(w.root(), "models", RelevanceTrainJob.MODEL);
        assertThat(novelty.resolve("model.safetensors")).doesNotExist();
        assertThat(novelty.resolve("adapter/adapter_model.safetensors")).exists();
        assertThat(novelty.resolve("prompts/novelty.txt")).content().contains("New?");
        assertThat(Files.readString(novelty.resolve("backbone.json")))
                .contains(ckpt.toAbsolutePath().toString());
        assertThat(relevance.resolve("model.safetensors")).doesNotExist();
        assertThat(Files.readString(relevance.resolve("adapter/adapter_config.json")))
                .contains("modules_to_save");

        new GenerateJob().run(spark, w, o);
        new ScoreJob().run(spark, w, o);
        for (Row c : w.read(PcoTables.CANDIDATES, GenerateJob.NAME).collectAsList()) {
            Set<Integer> set = new HashSet<>(c.getList(1));
            List<Row> cands = c.getList(4);
            assertThat(cands).isNotEmpty();
            for (Row x : cands) {
                assertThat(set).doesNotContain(x.getInt(0));
            }
        }
        new StoreJob().run(spark, w, rocksDb(w));
        StageMetrics m = cycles(w, o, CycleHooks.NONE);
        assertThat(m.figures()).containsEntry("cycles_completed", 1L);
        Map<String, Object> cycle = ((List<Map<String, Object>>) m.figures().get("cycles")).get(0);
        assertThat(((Number) cycle.get("dpo_pairs")).longValue()).isPositive();
        assertThat(cycle).containsKeys("kl", "dpo_margin", "valid_novelty_at_5");
        ModelRegistry registry = new ModelRegistry(Path.of(w.root()).resolve(PcoCycleJob.REGISTRY));
        registry.verify(1);
        assertThat(registry.files(1))
                .containsKeys(
                        "novelty/adapter/adapter_model.safetensors",
                        "relevance/adapter/adapter_model.safetensors",
                        "novelty/backbone.json")
                .doesNotContainKeys("novelty/model.safetensors", "relevance/model.safetensors");
        assertThat(registry.files(1).get("novelty/adapter/adapter_model.safetensors"))
                .as("the cycle changed the adapter")
                .isNotEqualTo(registry.files(0).get("novelty/adapter/adapter_model.safetensors"));
    }
}
