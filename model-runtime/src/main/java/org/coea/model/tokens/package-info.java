/**
 * Token vocabularies shared by both model sizes: the HuggingFace text tokenizer of the production
 * Qwen models, the ChatML message format, and the domain vocabulary of the tiny embedded model.
 */
package org.coea.model.tokens;
