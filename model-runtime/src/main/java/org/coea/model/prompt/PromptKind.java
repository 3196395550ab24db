package org.coea.model.prompt;

/** Which model a prompt is for. */
public enum PromptKind {
    /** The Profile model: summarise a group from its representative users' histories. */
    PROFILE,
    /** The Novelty model: propose a category the user has not engaged with recently (Eq. 8, 10). */
    NOVELTY,
    /** The Relevance model: would the user accept a candidate category (Eq. 11). */
    RELEVANCE
}
