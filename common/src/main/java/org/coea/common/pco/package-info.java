/**
 * The data rules of Periodic Collaborative Optimization (METHOD.md, Eq. 8, 11, 15): which of a
 * user's clicks become Novelty SFT examples, Relevance pairs and cycle prompts. Engine-free; the
 * Spark stages only group clicks per user and call {@link org.coea.common.pco.PcoExamples}.
 */
package org.coea.common.pco;
