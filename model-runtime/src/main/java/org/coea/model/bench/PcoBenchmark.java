package org.coea.model.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.coea.common.model.GroupCsid;
import org.coea.model.pco.NoveltyModel;
import org.coea.model.pco.PcoPrompt;
import org.coea.model.pco.PromptSettings;
import org.coea.model.pco.RelevanceModel;
import org.coea.model.pco.TinyLmSpec;
import org.coea.model.tokens.DomainTokenizer;

/**
 * {@code bin/coea-bench-pco}: candidate generation keys/s of the embedded Novelty model (N = 5
 * proposals per key, one batched forward pass per 256 keys) against the same proposals computed one
 * key at a time, and Relevance scoring candidates/s batched against one at a time. Shaped like
 * MovieLens-1M (18 categories, CSIDs of 3 levels x 16 codes), random weights: speed does not depend
 * on the values.
 */
public final class PcoBenchmark {
    private PcoBenchmark() {}

    /** Prints one line per figure. */
    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int single = Math.min(keys, 500);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 18; c++) {
            names.add("genre " + c);
        }
        DomainTokenizer v =
                DomainTokenizer.builder().setCsidShape(3, 16).setCategories(names).build();
        SplittableRandom r = new SplittableRandom(7);
        List<PcoPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            int[] set = r.ints(8, 0, 18).distinct().toArray();
            prompts.add(
                    new PcoPrompt(
                            Optional.of(GroupCsid.of(r.nextInt(16), r.nextInt(16), r.nextInt(16))),
                            new int[] {r.nextInt(18), r.nextInt(18), r.nextInt(18)},
                            set,
                            set));
        }
        System.out.printf(
                Locale.ROOT,
                "threads: %s, cores: %d, keys: %d%n",
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                Runtime.getRuntime().availableProcessors(),
                keys);
        try (NoveltyModel novelty =
                        NoveltyModel.create(v, TinyLmSpec.DEFAULT, PromptSettings.DEFAULT, 1);
                RelevanceModel relevance =
                        RelevanceModel.create(v, TinyLmSpec.DEFAULT, PromptSettings.DEFAULT, 2)) {
            novelty.propose(prompts.subList(0, 256), 5); // warm-up
            long t0 = System.nanoTime();
            novelty.propose(prompts, 5);
            double batched = keys / seconds(t0);
            long t1 = System.nanoTime();
            for (PcoPrompt p : prompts.subList(0, single)) {
                novelty.propose(List.of(p), 5);
            }
            double oneByOne = single / seconds(t1);
            System.out.printf(
                    Locale.ROOT,
                    "Novelty proposals (N = 5): %.0f keys/s batched, %.0f keys/s one key at a time; ratio %.1fx%n",
                    batched,
                    oneByOne,
                    batched / oneByOne);
            int[] cands = new int[keys];
            for (int i = 0; i < keys; i++) {
                cands[i] = r.nextInt(18);
            }
            relevance.score(prompts.subList(0, 256), java.util.Arrays.copyOf(cands, 256));
            long t2 = System.nanoTime();
            relevance.score(prompts, cands);
            double scored = keys / seconds(t2);
            long t3 = System.nanoTime();
            for (int i = 0; i < single; i++) {
                relevance.score(List.of(prompts.get(i)), new int[] {cands[i]});
            }
            double scoredOne = single / seconds(t3);
            System.out.printf(
                    Locale.ROOT,
                    "Relevance scores: %.0f candidates/s batched, %.0f one at a time; ratio %.1fx; with N = 5: %.0f keys/s generated and scored%n",
                    scored,
                    scoredOne,
                    scored / scoredOne,
                    1 / (1 / batched + 5 / scored));
        }
        System.out.printf(
                Locale.ROOT,
                "peak RSS %d MiB, peak Java heap %d MiB%n",
                Memory.peakRssMib(),
                Memory.peakHeapMib());
    }

    private static double seconds(long from) {
        return (System.nanoTime() - from) / 1e9;
    }
}
