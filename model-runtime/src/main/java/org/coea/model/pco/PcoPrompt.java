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
 */
public record PcoPrompt(Optional<GroupCsid> csid, int[] profile, int[] recent, int[] excluded)
        implements Serializable {

    /** Validates and copies. */
    public PcoPrompt {
        Objects.requireNonNull(csid, "csid");
        profile = profile.clone();
        recent = recent.clone();
        excluded = excluded.clone();
    }
}
