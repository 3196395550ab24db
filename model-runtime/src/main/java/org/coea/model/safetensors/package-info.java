/**
 * HuggingFace safetensors checkpoints of any size: a memory-mapped reader with 64-bit offsets,
 * sharded checkpoints, Java-side fp16/bf16 conversion, and an atomic writer.
 */
package org.coea.model.safetensors;
