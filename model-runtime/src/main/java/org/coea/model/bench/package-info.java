/**
 * The model-runtime benchmark: generation tokens/s with and without the KV cache, training steps/s,
 * peak memory.
 */
package org.coea.model.bench;
