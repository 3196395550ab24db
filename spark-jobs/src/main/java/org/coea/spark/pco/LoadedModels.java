package org.coea.spark.pco;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coea.model.pco.NoveltyModel;
import org.coea.model.pco.RelevanceModel;

/**
 * The PCO models loaded once per executor JVM and model directory; a cycle's new version replaces
 * the oldest entry, so at most a few versions stay in memory.
 */
final class LoadedModels {
    private static final int KEEP = 4;
    private static final Map<Path, AutoCloseable> LOADED = new LinkedHashMap<>();

    private LoadedModels() {}

    static synchronized NoveltyModel novelty(Path dir) {
        return (NoveltyModel)
                LOADED.computeIfAbsent(key(dir), d -> evictThen(NoveltyModel.load(d)));
    }

    static synchronized RelevanceModel relevance(Path dir) {
        return (RelevanceModel)
                LOADED.computeIfAbsent(key(dir), d -> evictThen(RelevanceModel.load(d)));
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    private static AutoCloseable evictThen(AutoCloseable loaded) {
        while (LOADED.size() >= KEEP) {
            Path oldest = LOADED.keySet().iterator().next();
            AutoCloseable m = LOADED.remove(oldest);
            try {
                m.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the model of " + oldest, e);
            }
        }
        return loaded;
    }
}
