package org.coea.model.lora;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.coea.model.nd.Scalars;

/**
 * A linear layer {@code y = x W^T + b} with any number of named LoRA adapters, one of which is
 * applied per call: {@code y += scaling * (x A^T) B^T}. Input {@code [..., in]}, output {@code
 * [..., out]}; {@code W} is {@code [out, in]} as in HuggingFace.
 *
 * <p>An adapter can be merged into {@code W} (inference speed); while one is merged, only that
 * adapter may be requested, so a merged weight is never silently used as the base.
 */
public final class LoraLinearBlock {
    private final String name;
    private final NDArray weight;
    private final NDArray bias;
    private final Map<String, LoraWeights> adapters = new LinkedHashMap<>();
    private String merged;

    /**
     * @param name the HuggingFace module name, e.g. {@code model.layers.0.self_attn.q_proj}
     * @param weight {@code [out, in]}
     * @param bias {@code [out]}, empty for none
     */
    public LoraLinearBlock(String name, NDArray weight, Optional<NDArray> bias) {
        this.name = Objects.requireNonNull(name, "name");
        this.weight = Objects.requireNonNull(weight, "weight");
        this.bias = bias.orElse(null);
    }

    /** The module name. */
    public String name() {
        return name;
    }

    /** The base weight {@code [out, in]}. */
    public NDArray weight() {
        return weight;
    }

    /** The bias {@code [out]}, if any. */
    public Optional<NDArray> bias() {
        return Optional.ofNullable(bias);
    }

    /** Input features. */
    public long inFeatures() {
        return weight.getShape().get(1);
    }

    /** Output features. */
    public long outFeatures() {
        return weight.getShape().get(0);
    }

    /** The adapters on this layer, by adapter name. */
    public Map<String, LoraWeights> adapters() {
        return Collections.unmodifiableMap(adapters);
    }

    /** Adds (or replaces) an adapter. */
    public void putAdapter(String adapter, LoraWeights lora) {
        if (adapter.equals(merged)) {
            throw new IllegalStateException(
                    "adapter " + adapter + " is merged into " + name + ": unmerge first");
        }
        LoraWeights old = adapters.put(adapter, lora);
        if (old != null && old != lora) {
            old.a().close();
            old.b().close();
        }
    }

    /** Removes an adapter and frees its arrays. */
    public void removeAdapter(String adapter) {
        if (adapter.equals(merged)) {
            throw new IllegalStateException(
                    "adapter " + adapter + " is merged into " + name + ": unmerge first");
        }
        LoraWeights old = adapters.remove(adapter);
        if (old != null) {
            old.a().close();
            old.b().close();
        }
    }

    /**
     * Applies the layer with an adapter ({@code ""} for the base weights only). An adapter this
     * layer does not carry contributes nothing (PEFT targets only some modules).
     */
    public NDArray forward(NDArray x, String adapter) {
        if (merged != null && !merged.equals(adapter)) {
            throw new IllegalStateException(
                    "adapter "
                            + merged
                            + " is merged into "
                            + name
                            + "; cannot run it as '"
                            + adapter
                            + "'");
        }
        NDArray y = x.matMul(weight.transpose());
        if (bias != null) {
            y = y.add(bias);
        }
        LoraWeights lora = adapters.get(adapter);
        if (lora != null && !adapter.equals(merged)) {
            NDArray delta = x.matMul(lora.a().transpose()).matMul(lora.b().transpose());
            y = y.add(Scalars.mul(delta, lora.scaling()));
        }
        return y;
    }

    /** {@code W += scaling * B A}, in place. */
    public void merge(String adapter) {
        LoraWeights lora = require(adapter);
        if (merged != null) {
            throw new IllegalStateException(
                    "adapter " + merged + " is already merged into " + name);
        }
        weight.addi(delta(lora));
        merged = adapter;
    }

    /** {@code W -= scaling * B A}, in place (exact up to floating-point rounding). */
    public void unmerge(String adapter) {
        LoraWeights lora = require(adapter);
        if (!adapter.equals(merged)) {
            throw new IllegalStateException("adapter " + adapter + " is not merged into " + name);
        }
        weight.subi(delta(lora));
        merged = null;
    }

    /** The merged adapter, if any. */
    public Optional<String> merged() {
        return Optional.ofNullable(merged);
    }

    private NDArray delta(LoraWeights lora) {
        return Scalars.mul(lora.b().matMul(lora.a()), lora.scaling())
                .toType(weight.getDataType(), false);
    }

    private LoraWeights require(String adapter) {
        LoraWeights lora = adapters.get(adapter);
        if (lora == null) {
            throw new IllegalArgumentException(
                    "layer " + name + " has no adapter '" + adapter + "'");
        }
        return lora;
    }
}
