package org.coea.model.pco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coea.model.prompt.RecentCategories;

/**
 * How a PCO model's prompts are written; saved with the model so training and inference agree.
 *
 * @param recentWindow the recent categories kept (Appendix A.2: the last 2)
 * @param shortTerm false for the "w/o Short" ablation: the prompt has no recent category
 */
public record PromptSettings(int recentWindow, boolean shortTerm) {
    /** The paper's setting: the last two categories. */
    public static final PromptSettings DEFAULT =
            new PromptSettings(RecentCategories.DEFAULT_WINDOW, true);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates the window. */
    public PromptSettings {
        if (recentWindow < 1) {
            throw new IllegalArgumentException("recent window must be >= 1: " + recentWindow);
        }
    }

    void write(Path file) {
        ObjectNode n = JSON.createObjectNode();
        n.put("recent_window", recentWindow);
        n.put("short_term", shortTerm);
        try {
            Files.writeString(file, n.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static PromptSettings read(Path file) {
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return new PromptSettings(
                    n.path("recent_window").asInt(RecentCategories.DEFAULT_WINDOW),
                    n.path("short_term").asBoolean(true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
