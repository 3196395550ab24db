package org.coea.model.pco;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import org.coea.common.model.GroupCsid;

/**
 * What a Novelty or Relevance prompt says about one user, as category ids.
 *
 * @param csid the user's group; empty for the "w/o Long" ablation
 * @param profile the group profile's categories (the dominant ones), for the embedded model
 * @param recent the short-term categories, most recent last (the model keeps its window of them)
 * @param excluded C^S: categories that must not be proposed (the whole short-term set)
 * @param profileText the group profile as text, for checkpoint (text-prompt) models; blank when
 *     there is none, and text prompts then list the profile's categories
 */
public record PcoPrompt(
        Optional<GroupCsid> csid, int[] profile, int[] recent, int[] excluded, String profileText)
        implements Serializable {

    /** Validates and copies. */
    public PcoPrompt {
        Objects.requireNonNull(csid, "csid");
        Objects.requireNonNull(profileText, "profileText");
        profile = profile.clone();
        recent = recent.clone();
        excluded = excluded.clone();
    }

    /** A prompt without profile text. */
    public PcoPrompt(Optional<GroupCsid> csid, int[] profile, int[] recent, int[] excluded) {
        this(csid, profile, recent, excluded, "");
    }
}
