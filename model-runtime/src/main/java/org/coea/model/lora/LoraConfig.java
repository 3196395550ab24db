package org.coea.model.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A LoRA adapter configuration with the semantics of HuggingFace PEFT's {@code
 * adapter_config.json}: rank {@code r}, {@code lora_alpha}, {@code target_modules} (a list of
 * module-name suffixes, a regular expression matched against the full module name, or {@code
 * "all-linear"}: every linear layer but the output layer), per-module {@code rank_pattern} and
 * {@code alpha_pattern} overrides, and {@code use_rslora} (scaling {@code alpha / sqrt(r)} instead
 * of {@code alpha / r}). Build with {@link #builder()}.
 */
public final class LoraConfig {
    /** The module PEFT's "all-linear" leaves out: the output layer. */
    public static final String OUTPUT_LAYER = "lm_head";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int r;
    private final double alpha;
    private final List<String> targetList;
    private final String targetRegex;
    private final boolean allLinear;
    private final Map<String, Integer> rankPattern;
    private final Map<String, Double> alphaPattern;
    private final boolean rsLora;
    private final List<String> modulesToSave;
    private final String taskType;
    private final String baseModel;

    private LoraConfig(Builder b) {
        this.r = b.r;
        this.alpha = b.alpha;
        this.targetList = List.copyOf(b.targetList);
        this.targetRegex = b.targetRegex;
        this.allLinear = b.allLinear;
        this.rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(b.rankPattern));
        this.alphaPattern = Collections.unmodifiableMap(new LinkedHashMap<>(b.alphaPattern));
        this.rsLora = b.rsLora;
        this.modulesToSave = List.copyOf(b.modulesToSave);
        this.taskType = b.taskType;
        this.baseModel = b.baseModel;
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses an {@code adapter_config.json}.
     *
     * @param source names the file in errors
     * @throws IllegalArgumentException for an unsupported or malformed field, naming it
     */
    public static LoraConfig parse(String json, String source) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
        String peftType = n.path("peft_type").asText("LORA");
        if (!peftType.equals("LORA")) {
            throw new IllegalArgumentException(source + ": peft_type " + peftType + " is not LORA");
        }
        String bias = n.path("bias").asText("none");
        if (!bias.equals("none")) {
            throw new IllegalArgumentException(
                    source + ": bias=" + bias + " is not supported (only none)");
        }
        Builder b =
                builder()
                        .setRank(requireInt(n, "r", source))
                        .optAlpha(n.path("lora_alpha").asDouble(8));
        JsonNode targets = n.get("target_modules");
        if (targets == null || targets.isNull()) {
            throw new IllegalArgumentException(source + ": target_modules is missing");
        }
        if (targets.isArray()) {
            List<String> list = new ArrayList<>();
            targets.forEach(t -> list.add(t.asText()));
            b.optTargetModules(list);
        } else if (targets.asText().equals("all-linear")) {
            b.optAllLinear();
        } else {
            b.optTargetRegex(targets.asText());
        }
        n.path("rank_pattern")
                .fields()
                .forEachRemaining(e -> b.optRankPattern(e.getKey(), e.getValue().asInt()));
        n.path("alpha_pattern")
                .fields()
                .forEachRemaining(e -> b.optAlphaPattern(e.getKey(), e.getValue().asDouble()));
        b.optRsLora(n.path("use_rslora").asBoolean(false));
        JsonNode save = n.get("modules_to_save");
        if (save != null && save.isArray()) {
            List<String> list = new ArrayList<>();
            save.forEach(t -> list.add(t.asText()));
            b.optModulesToSave(list);
        }
        b.optTaskType(n.path("task_type").asText("CAUSAL_LM"));
        if (n.hasNonNull("base_model_name_or_path")) {
            b.optBaseModel(n.get("base_model_name_or_path").asText());
        }
        return b.build();
    }

    private static int requireInt(JsonNode n, String key, String source) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new IllegalArgumentException(
                    source + ": \"" + key + "\" must be a positive integer");
        }
        return v.asInt();
    }

    /** The JSON text PEFT writes and reads. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("peft_type", "LORA");
        n.put("task_type", taskType);
        n.put("base_model_name_or_path", baseModel);
        n.put("r", r);
        if (alpha == Math.rint(alpha)) {
            n.put("lora_alpha", (long) alpha);
        } else {
            n.put("lora_alpha", alpha);
        }
        if (allLinear) {
            n.put("target_modules", "all-linear");
        } else if (targetRegex != null) {
            n.put("target_modules", targetRegex);
        } else {
            ArrayNode a = n.putArray("target_modules");
            targetList.forEach(a::add);
        }
        ObjectNode rp = n.putObject("rank_pattern");
        rankPattern.forEach(rp::put);
        ObjectNode ap = n.putObject("alpha_pattern");
        alphaPattern.forEach(ap::put);
        n.put("use_rslora", rsLora);
        n.put("bias", "none");
        n.put("lora_dropout", 0.0);
        n.put("fan_in_fan_out", false);
        n.put("inference_mode", true);
        if (modulesToSave.isEmpty()) {
            n.putNull("modules_to_save");
        } else {
            ArrayNode a = n.putArray("modules_to_save");
            modulesToSave.forEach(a::add);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a module (full name, e.g. {@code model.layers.0.self_attn.q_proj}) gets LoRA. */
    public boolean targets(String module) {
        if (allLinear) {
            return !module.equals(OUTPUT_LAYER);
        }
        if (targetRegex != null) {
            return Pattern.compile(targetRegex).matcher(module).matches();
        }
        for (String t : targetList) {
            if (module.equals(t) || module.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }

    /** The modules of the given ones that get LoRA, in order. */
    public List<String> targets(Collection<String> modules) {
        List<String> out = new ArrayList<>();
        for (String m : modules) {
            if (targets(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The rank of a module: the first matching {@code rank_pattern} entry, else {@code r}. */
    public int rank(String module) {
        return pattern(rankPattern, module).orElse(r);
    }

    /**
     * The alpha of a module: the first matching {@code alpha_pattern} entry, else {@code
     * lora_alpha}.
     */
    public double alpha(String module) {
        return pattern(alphaPattern, module).orElse(alpha);
    }

    /**
     * The scaling of a module's update: {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA.
     */
    public double scaling(String module) {
        int rank = rank(module);
        return rsLora ? alpha(module) / Math.sqrt(rank) : alpha(module) / rank;
    }

    /** Extra whole modules saved with the adapter (the reward head {@code score}). */
    public List<String> modulesToSave() {
        return modulesToSave;
    }

    /** PEFT's task type ({@code CAUSAL_LM}, {@code SEQ_CLS}). */
    public String taskType() {
        return taskType;
    }

    /** The default rank r. */
    public int r() {
        return r;
    }

    /** PEFT's key matching: the pattern equals the module name or a dotted suffix of it. */
    private static <T> Optional<T> pattern(Map<String, T> patterns, String module) {
        for (Map.Entry<String, T> e : patterns.entrySet()) {
            if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")$").matcher(module).matches()) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Builds a {@link LoraConfig}. */
    public static final class Builder {
        private int r = 8;
        private double alpha = 8;
        private List<String> targetList = List.of("q_proj", "v_proj");
        private String targetRegex;
        private boolean allLinear;
        private final Map<String, Integer> rankPattern = new LinkedHashMap<>();
        private final Map<String, Double> alphaPattern = new LinkedHashMap<>();
        private boolean rsLora;
        private List<String> modulesToSave = List.of();
        private String taskType = "CAUSAL_LM";
        private String baseModel = "";

        Builder() {}

        /** The rank r (required; the paper uses 8). */
        public Builder setRank(int r) {
            if (r <= 0) {
                throw new IllegalArgumentException("LoRA rank must be positive: " + r);
            }
            this.r = r;
            return this;
        }

        /** {@code lora_alpha} (default 8). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Target modules by name suffix (default q_proj, v_proj, as PEFT's Qwen2 default). */
        public Builder optTargetModules(List<String> modules) {
            this.targetList = List.copyOf(modules);
            this.targetRegex = null;
            this.allLinear = false;
            return this;
        }

        /** Target modules by a regular expression over the full module name. */
        public Builder optTargetRegex(String regex) {
            Pattern.compile(regex);
            this.targetRegex = regex;
            this.allLinear = false;
            return this;
        }

        /** Every linear layer but the output layer (the paper: all linear layers). */
        public Builder optAllLinear() {
            this.allLinear = true;
            this.targetRegex = null;
            return this;
        }

        /** A rank for modules matching a pattern. */
        public Builder optRankPattern(String pattern, int rank) {
            rankPattern.put(pattern, rank);
            return this;
        }

        /** An alpha for modules matching a pattern. */
        public Builder optAlphaPattern(String pattern, double value) {
            alphaPattern.put(pattern, value);
            return this;
        }

        /** Rank-stabilised scaling {@code alpha / sqrt(r)}. */
        public Builder optRsLora(boolean rsLora) {
            this.rsLora = rsLora;
            return this;
        }

        /** Whole modules saved with the adapter, e.g. {@code score}. */
        public Builder optModulesToSave(List<String> modules) {
            this.modulesToSave = List.copyOf(modules);
            return this;
        }

        /** PEFT task type. */
        public Builder optTaskType(String taskType) {
            this.taskType = Objects.requireNonNull(taskType);
            return this;
        }

        /** The base model path recorded in the config. */
        public Builder optBaseModel(String baseModel) {
            this.baseModel = Objects.requireNonNull(baseModel);
            return this;
        }

        /** Finishes the configuration. */
        public LoraConfig build() {
            return new LoraConfig(this);
        }
    }
}
