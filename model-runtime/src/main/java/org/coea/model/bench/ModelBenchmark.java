package org.coea.model.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.coea.model.generate.GenerationConfig;
import org.coea.model.generate.Generator;
import org.coea.model.lora.LoraAdapters;
import org.coea.model.lora.LoraConfig;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.train.DpoTrainer;
import org.coea.model.train.PreferencePair;
import org.coea.model.train.SftExample;
import org.coea.model.train.SftTrainer;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingOptions;

/**
 * {@code bin/coea-bench-model}: generation tokens/s with and without the KV cache (and their
 * ratio), SFT and DPO optimizer steps/s, and peak memory, on the embedded tiny model and on a
 * random model of Qwen2.5-0.5B's shape cut to 2 layers. Random weights: speed does not depend on
 * the values.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {}

    /** Runs every measurement and prints one line per figure. */
    public static void main(String[] args) {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        System.out.printf(
                Locale.ROOT,
                "threads: %s, cores: %d%n",
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                Runtime.getRuntime().availableProcessors());
        Qwen2Config tiny = new Qwen2Config(256, 128, 256, 4, 4, 2, 1e-6, 10000.0, false, 512);
        Qwen2Config qwenHalfB =
                new Qwen2Config(151_936, 896, 4864, 2, 14, 2, 1e-6, 1_000_000.0, true, 32768);
        run("tiny (d128, 4 layers, vocab 256)", tiny, quick ? 8 : 32, 4, 16, 16);
        run("Qwen2.5-0.5B shape, 2 layers", qwenHalfB, quick ? 4 : 16, 4, 64, 2);
        System.out.printf(
                Locale.ROOT,
                "peak RSS %d MiB, peak Java heap %d MiB%n",
                Memory.peakRssMib(),
                Memory.peakHeapMib());
    }

    private static void run(
            String name,
            Qwen2Config config,
            int newTokens,
            int batch,
            int promptLen,
            int trainBatch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            long t0 = System.nanoTime();
            Qwen2Model model =
                    Qwen2Model.of(
                            config,
                            manager.newSubManager(),
                            Qwen2Model.randomWeights(config, manager, 1, DataType.FLOAT32));
            System.out.printf(
                    Locale.ROOT,
                    "%n[%s] %.1fM parameters, built in %.1f s%n",
                    name,
                    params(config) / 1e6,
                    (System.nanoTime() - t0) / 1e9);
            SplittableRandom r = new SplittableRandom(2);
            List<int[]> prompts = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                prompts.add(r.ints(promptLen, 2, config.vocabSize()).toArray());
            }
            // eos = -1: never stops early, so both runs generate exactly newTokens per row.
            Generator g = new Generator(model, -1, 0);
            GenerationConfig greedy = GenerationConfig.greedy(newTokens);
            g.generate(prompts, GenerationConfig.greedy(2), Qwen2Model.BASE, true); // warm-up
            double cached = tokensPerSecond(g, prompts, greedy, true);
            double uncached = tokensPerSecond(g, prompts, greedy, false);
            System.out.printf(
                    Locale.ROOT,
                    "generation, batch %d, prompt %d, %d new tokens: %.1f tokens/s with KV cache, %.1f without; ratio %.2fx%n",
                    batch,
                    promptLen,
                    newTokens,
                    cached,
                    uncached,
                    cached / uncached);

            List<SftExample> sft = new ArrayList<>();
            List<PreferencePair> pairs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int[] p = r.ints(Math.min(promptLen, 32), 2, config.vocabSize()).toArray();
                int[] a = {2 + r.nextInt(config.vocabSize() - 2), 1};
                int[] b = {2 + r.nextInt(config.vocabSize() - 2), 1};
                sft.add(new SftExample(p, a));
                pairs.add(new PreferencePair(p, a, b));
            }
            LoraConfig lora = LoraConfig.builder().setRank(8).optAlpha(16).optAllLinear().build();
            LoraAdapters.create(model, "policy", lora, 3);
            int steps = 5;
            TrainingOptions o =
                    TrainingOptions.builder()
                            .setSteps(steps)
                            .setLearningRate(1e-4)
                            .optBatchSize(trainBatch)
                            .build();
            SftTrainer sftTrainer =
                    new SftTrainer(model, "policy", LoraAdapters.parameters(model, "policy"), 0);
            sftTrainer.train(
                    sft,
                    TrainingOptions.builder()
                            .setSteps(1)
                            .setLearningRate(1e-4)
                            .optBatchSize(trainBatch)
                            .build(),
                    new TrainingLog());
            long s0 = System.nanoTime();
            sftTrainer.train(sft, o, new TrainingLog());
            double sftRate = steps / ((System.nanoTime() - s0) / 1e9);
            DpoTrainer dpo =
                    new DpoTrainer(
                            model,
                            "policy",
                            Qwen2Model.BASE,
                            LoraAdapters.parameters(model, "policy"),
                            0,
                            0.1,
                            0.1);
            long d0 = System.nanoTime();
            dpo.train(pairs, o, new TrainingLog());
            double dpoRate = steps / ((System.nanoTime() - d0) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "LoRA r=8 all-linear, batch %d, prompt %d: SFT %.2f steps/s, DPO+KL %.2f steps/s%n",
                    trainBatch,
                    Math.min(promptLen, 32),
                    sftRate,
                    dpoRate);
            System.out.printf(Locale.ROOT, "peak RSS so far %d MiB%n", Memory.peakRssMib());
            model.close();
        }
    }

    private static double tokensPerSecond(
            Generator g, List<int[]> prompts, GenerationConfig c, boolean cache) {
        long t = System.nanoTime();
        List<int[]> out = g.generate(prompts, c, Qwen2Model.BASE, cache);
        double seconds = (System.nanoTime() - t) / 1e9;
        long tokens = out.stream().mapToLong(o -> o.length).sum();
        return tokens / seconds;
    }

    private static double params(Qwen2Config c) {
        long d = c.hiddenSize();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long layer = d * d * 2 + 2 * d * kv + d + 2 * kv + 3 * d * c.intermediateSize() + 2 * d;
        return c.vocabSize() * d * (c.tieWordEmbeddings() ? 1 : 2)
                + c.numHiddenLayers() * layer
                + d;
    }
}
