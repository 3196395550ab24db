/**
 * Prompts of the Profile, Novelty and Relevance models (Eq. 8, 10, 11), built once from the same
 * fields for both model sizes: ChatML text for the Qwen models, domain tokens for the embedded one.
 */
package org.coea.model.prompt;
