package org.coea.spark.pco;

/** The PCO ablations (paper, Table 2), switched with {@code pco.ablation}. */
public enum Ablation {
    /** The full method. */
    NONE,
    /** lambda = 0: DPO without the KL constraint (Eq. 17). */
    NO_KL,
    /** No Relevance model: the Novelty model's proposals are stored unfiltered. */
    NO_RELEVANCE,
    /** No long-term interest: prompts carry neither CSID nor group profile. */
    NO_LONG,
    /** No short-term interest: prompts carry the group only. */
    NO_SHORT
}
