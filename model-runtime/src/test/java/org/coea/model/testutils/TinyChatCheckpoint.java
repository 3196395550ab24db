package org.coea.model.testutils;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.coea.model.qwen2.Qwen2Checkpoints;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.tokens.TinyTokenizerFixture;

/**
 * A tiny random Qwen2 instruction checkpoint in the HuggingFace layout ({@code config.json}, {@code
 * model.safetensors}, {@code tokenizer.json}) over the tiny byte-level tokenizer of {@link
 * TinyTokenizerFixture}, written on demand (a few hundred KB) for tests that load a model
 * directory: vocabulary 269, d 32, MLP 64, 2 layers, 4 heads over 2 kv heads, untied.
 */
public final class TinyChatCheckpoint {
    private TinyChatCheckpoint() {}

    /** The architecture. */
    public static Qwen2Config config() {
        return new Qwen2Config(
                TinyTokenizerFixture.VOCAB_SIZE, 32, 64, 2, 4, 2, 1e-6, 10000.0, false, 4096);
    }

    /**
     * Writes the checkpoint with seeded weights ({@link TinyQwen2#weights}, so every block matters
     * to the logits) into {@code dir}, which it creates.
     *
     * @return {@code dir}
     */
    public static Path write(Path dir, long seed) {
        Qwen2Config config = config();
        try (NDManager manager = NDManager.newBaseManager();
                Qwen2Model model =
                        Qwen2Model.of(
                                config,
                                manager.newSubManager(),
                                TinyQwen2.weights(config, manager, seed))) {
            Qwen2Checkpoints.save(model, dir, SafetensorsDtype.F32, 0);
        }
        try (InputStream in =
                TinyTokenizerFixture.class.getResourceAsStream(TinyTokenizerFixture.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing test resource " + TinyTokenizerFixture.RESOURCE);
            }
            Files.copy(in, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer to " + dir, e);
        }
        return dir;
    }
}
