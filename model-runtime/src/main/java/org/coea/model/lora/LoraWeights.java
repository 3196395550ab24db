package org.coea.model.lora;

import ai.djl.ndarray.NDArray;

/**
 * The low-rank update of one linear layer: {@code delta W = scaling * B @ A}.
 *
 * @param a {@code lora_A} of shape {@code [r, in]}
 * @param b {@code lora_B} of shape {@code [out, r]}
 * @param scaling {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA
 */
public record LoraWeights(NDArray a, NDArray b, double scaling) {}
