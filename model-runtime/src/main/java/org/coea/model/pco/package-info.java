/**
 * The two language models of Periodic Collaborative Optimization on the embedded domain vocabulary:
 * the {@link org.coea.model.pco.NoveltyModel} that proposes categories (Eq. 8-10, DPO with KL in
 * Eq. 16-17) and the {@link org.coea.model.pco.RelevanceModel} that scores them (Eq. 11-14), plus
 * the {@link org.coea.model.pco.ModelRegistry} that versions them per cycle. Prompts arrive as
 * category ids ({@link org.coea.model.pco.PcoPrompt}), so engines never see tokens.
 */
package org.coea.model.pco;
