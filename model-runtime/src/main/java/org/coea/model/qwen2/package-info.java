/**
 * The Qwen2 decoder architecture in DJL: RMSNorm, rotary positions, grouped-query attention with
 * q/k/v bias, SwiGLU MLP, KV cache and a scalar reward head, with HuggingFace tensor names.
 */
package org.coea.model.qwen2;
