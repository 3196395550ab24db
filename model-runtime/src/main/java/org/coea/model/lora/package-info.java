/**
 * LoRA adapters on linear layers, compatible with HuggingFace PEFT ({@code adapter_config.json},
 * {@code adapter_model.safetensors}): loading, saving, merging and switching per call.
 */
package org.coea.model.lora;
