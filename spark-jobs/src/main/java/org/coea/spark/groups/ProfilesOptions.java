package org.coea.spark.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.ConfigOptions;
import org.coea.common.config.Configuration;
import org.coea.model.device.DeviceSelection;
import org.coea.model.device.DeviceSetting;

/**
 * The options of the profiles stage.
 *
 * @param model the Profile model's checkpoint directory; empty: the statistical profiler
 * @param maxNewTokens the most tokens the model writes per profile
 * @param maxPromptTokens the most tokens of a prompt (histories truncated to fit)
 * @param batchSize groups decoded together
 * @param device where the model runs
 */
public record ProfilesOptions(
        Optional<String> model,
        int maxNewTokens,
        int maxPromptTokens,
        int batchSize,
        DeviceSetting device) {

    public static final ConfigOption<String> MODEL =
            ConfigOptions.key("profiles.model")
                    .pathType()
                    .noDefaultValue()
                    .withDescription(
                            "Profile LM: a HuggingFace Qwen2 instruction checkpoint directory (config.json, safetensors, tokenizer.json; local, hdfs:// or s3a://); unset or empty: the statistical profiler.");
    public static final ConfigOption<Integer> MAX_NEW_TOKENS =
            ConfigOptions.key("profiles.max-new-tokens")
                    .intType()
                    .defaultValue(48)
                    .withDescription("Most tokens the Profile LM writes per group (greedy).");
    public static final ConfigOption<Integer> MAX_PROMPT_TOKENS =
            ConfigOptions.key("profiles.max-prompt-tokens")
                    .intType()
                    .defaultValue(1024)
                    .withDescription(
                            "Token budget of a Profile LM prompt; the representatives' histories keep their most recent items that fit.");
    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("profiles.batch-size")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Groups the Profile LM decodes together.");

    /** Every option, in help order. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(MODEL, MAX_NEW_TOKENS, MAX_PROMPT_TOKENS, BATCH_SIZE, DeviceSelection.DEVICE);

    /** Validates the fields. */
    public ProfilesOptions {
        model = Objects.requireNonNull(model, "model").filter(m -> !m.isBlank());
        Objects.requireNonNull(device, "device");
        if (maxNewTokens <= 0 || maxPromptTokens <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException(
                    MAX_NEW_TOKENS.key()
                            + ", "
                            + MAX_PROMPT_TOKENS.key()
                            + " and "
                            + BATCH_SIZE.key()
                            + " must be positive");
        }
    }

    /** The statistical profiler. */
    public static ProfilesOptions statistical() {
        return new ProfilesOptions(
                Optional.empty(),
                MAX_NEW_TOKENS.defaultValue().orElseThrow(),
                MAX_PROMPT_TOKENS.defaultValue().orElseThrow(),
                BATCH_SIZE.defaultValue().orElseThrow(),
                DeviceSetting.AUTO);
    }

    /** Resolves the options. */
    public static ProfilesOptions from(Configuration conf) {
        return new ProfilesOptions(
                conf.optional(MODEL),
                conf.get(MAX_NEW_TOKENS),
                conf.get(MAX_PROMPT_TOKENS),
                conf.get(BATCH_SIZE),
                conf.get(DeviceSelection.DEVICE));
    }
}
