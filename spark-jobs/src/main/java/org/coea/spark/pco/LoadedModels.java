package org.coea.spark.pco;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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

    static NoveltyModel novelty(Path dir) {
        return (NoveltyModel) load(dir, NoveltyModel::load);
    }

    static RelevanceModel relevance(Path dir) {
        return (RelevanceModel) load(dir, RelevanceModel::load);
    }

    private static synchronized AutoCloseable load(
            Path dir, Function<Path, ? extends AutoCloseable> loader) {
        Path key = dir.toAbsolutePath().normalize();
        AutoCloseable m = LOADED.get(key);
        if (m == null) {
            while (LOADED.size() >= KEEP) {
                Path oldest = LOADED.keySet().iterator().next();
                try {
                    LOADED.remove(oldest).close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close the model of " + oldest, e);
                }
            }
            m = loader.apply(key);
            LOADED.put(key, m);
        }
        return m;
    }
}
