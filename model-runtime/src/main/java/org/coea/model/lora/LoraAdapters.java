package org.coea.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.coea.model.qwen2.Qwen2Model;

/**
 * Adapter operations over a whole {@link Qwen2Model}: create a trainable adapter from a {@link
 * LoraConfig}, list its parameters under PEFT key names, merge, unmerge and remove it. Several
 * adapters live side by side; a forward call picks one by name.
 */
public final class LoraAdapters {
    /** The prefix PEFT puts before module names in {@code adapter_model.safetensors}. */
    public static final String PEFT_PREFIX = "base_model.model.";

    private LoraAdapters() {}

    /**
     * Adds a new adapter as PEFT initialises one: {@code A} Kaiming-uniform ({@code U(-1/sqrt(in),
     * 1/sqrt(in))}), {@code B = 0}, so the adapted model starts equal to the base. Deterministic
     * for a seed.
     *
     * @return the modules that received the adapter
     */
    public static List<String> create(
            Qwen2Model model, String adapter, LoraConfig config, long seed) {
        requireName(adapter);
        SplittableRandom random = new SplittableRandom(seed);
        List<String> targets = config.targets(model.linearLayers().keySet());
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("the LoRA config targets no module of this model");
        }
        NDManager manager = model.manager();
        DataType type = model.dataType();
        for (String module : targets) {
            LoraLinearBlock layer = model.linearLayers().get(module);
            int rank = config.rank(module);
            int in = (int) layer.inFeatures();
            float[] a = new float[rank * in];
            double bound = 1.0 / Math.sqrt(in);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
            NDArray aa = manager.create(a, new Shape(rank, in)).toType(type, false);
            NDArray bb = manager.zeros(new Shape(layer.outFeatures(), rank), type);
            layer.putAdapter(adapter, new LoraWeights(aa, bb, config.scaling(module)));
        }
        return targets;
    }

    /**
     * The adapter's arrays under PEFT names ({@code base_model.model.<module>.lora_A.weight} and
     * {@code .lora_B.weight}), in module order; these are the trainable parameters of LoRA
     * training.
     */
    public static Map<String, NDArray> parameters(Qwen2Model model, String adapter) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (LoraLinearBlock layer : model.linearLayers().values()) {
            LoraWeights w = layer.adapters().get(adapter);
            if (w != null) {
                out.put(PEFT_PREFIX + layer.name() + ".lora_A.weight", w.a());
                out.put(PEFT_PREFIX + layer.name() + ".lora_B.weight", w.b());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no adapter named '" + adapter + "'");
        }
        return out;
    }

    /**
     * Copies an adapter under a new name (for example to freeze cycle t-1's adapter as the DPO
     * reference while cycle t trains); the copy shares nothing with the original.
     */
    public static void copy(Qwen2Model model, String from, String to) {
        requireName(to);
        for (LoraLinearBlock layer : model.linearLayers().values()) {
            LoraWeights w = layer.adapters().get(from);
            if (w != null) {
                NDArray a = w.a().duplicate();
                NDArray b = w.b().duplicate();
                a.attach(model.manager());
                b.attach(model.manager());
                layer.putAdapter(to, new LoraWeights(a, b, w.scaling()));
            }
        }
    }

    /** Merges the adapter into the base weights of every layer that carries it. */
    public static void merge(Qwen2Model model, String adapter) {
        for (LoraLinearBlock layer : model.linearLayers().values()) {
            if (layer.adapters().containsKey(adapter)) {
                layer.merge(adapter);
            }
        }
    }

    /** Undoes {@link #merge}. */
    public static void unmerge(Qwen2Model model, String adapter) {
        for (LoraLinearBlock layer : model.linearLayers().values()) {
            if (layer.merged().filter(adapter::equals).isPresent()) {
                layer.unmerge(adapter);
            }
        }
    }

    /** Removes the adapter from every layer. */
    public static void remove(Qwen2Model model, String adapter) {
        for (LoraLinearBlock layer : model.linearLayers().values()) {
            layer.removeAdapter(adapter);
        }
    }

    private static void requireName(String adapter) {
        if (adapter == null || adapter.isEmpty()) {
            throw new IllegalArgumentException("an adapter needs a non-empty name");
        }
    }
}
