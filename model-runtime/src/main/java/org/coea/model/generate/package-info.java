/**
 * Decoding and scoring with a {@link org.coea.model.qwen2.Qwen2Model}: greedy, beam and seeded
 * sampling with a KV cache, decoding constrained to category names, and continuation
 * log-probabilities (for DPO and scoring).
 */
package org.coea.model.generate;
