package org.coea.model.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoraConfigTest {
    static final List<String> MODULES =
            List.of(
                    "model.layers.0.self_attn.q_proj",
                    "model.layers.0.self_attn.k_proj",
                    "model.layers.0.self_attn.v_proj",
                    "model.layers.0.self_attn.o_proj",
                    "model.layers.0.mlp.gate_proj",
                    "model.layers.0.mlp.up_proj",
                    "model.layers.0.mlp.down_proj",
                    "model.layers.1.self_attn.q_proj",
                    "model.layers.1.mlp.down_proj",
                    "lm_head");

    /** A config as PEFT 0.13 writes it for Qwen2 with a list of targets. */
    static final String PEFT_LIST =
            "{\"alpha_pattern\": {\"down_proj\": 32}, \"auto_mapping\": null,"
                    + " \"base_model_name_or_path\": \"Qwen/Qwen2.5-7B-Instruct\", \"bias\": \"none\","
                    + " \"fan_in_fan_out\": false, \"inference_mode\": true, \"init_lora_weights\": true,"
                    + " \"layers_pattern\": null, \"layers_to_transform\": null, \"lora_alpha\": 16,"
                    + " \"lora_dropout\": 0.05, \"modules_to_save\": null, \"peft_type\": \"LORA\", \"r\": 8,"
                    + " \"rank_pattern\": {\"model.layers.1.mlp.down_proj\": 4}, \"revision\": null,"
                    + " \"target_modules\": [\"q_proj\", \"v_proj\", \"down_proj\"], \"task_type\": \"CAUSAL_LM\","
                    + " \"use_dora\": false, \"use_rslora\": false}";

    @Test
    void listTargetsMatchNameSuffixesWithPatterns() {
        LoraConfig c = LoraConfig.parse(PEFT_LIST, "adapter_config.json");
        assertThat(c.targets(MODULES))
                .containsExactly(
                        "model.layers.0.self_attn.q_proj",
                        "model.layers.0.self_attn.v_proj",
                        "model.layers.0.mlp.down_proj",
                        "model.layers.1.self_attn.q_proj",
                        "model.layers.1.mlp.down_proj");
        assertThat(c.rank("model.layers.0.self_attn.q_proj")).isEqualTo(8);
        assertThat(c.rank("model.layers.1.mlp.down_proj")).isEqualTo(4);
        assertThat(c.rank("model.layers.0.mlp.down_proj")).isEqualTo(8);
        // scaling = alpha / r: 16 / 8, down_proj alpha 32: 32 / 8, and 32 / 4 with rank 4.
        assertThat(c.scaling("model.layers.0.self_attn.q_proj")).isEqualTo(2.0);
        assertThat(c.scaling("model.layers.0.mlp.down_proj")).isEqualTo(4.0);
        assertThat(c.scaling("model.layers.1.mlp.down_proj")).isEqualTo(8.0);
        // "proj" alone is not a dotted suffix of q_proj.
        assertThat(
                        LoraConfig.builder()
                                .setRank(2)
                                .optTargetModules(List.of("proj"))
                                .build()
                                .targets(MODULES))
                .isEmpty();
    }

    @Test
    void regexAllLinearAndRsLora() {
        LoraConfig regex =
                LoraConfig.parse(
                        PEFT_LIST.replace(
                                "[\"q_proj\", \"v_proj\", \"down_proj\"]",
                                "\".*layers\\\\.1\\\\..*_proj\""),
                        "a.json");
        assertThat(regex.targets(MODULES))
                .containsExactly("model.layers.1.self_attn.q_proj", "model.layers.1.mlp.down_proj");
        LoraConfig all =
                LoraConfig.parse(
                        PEFT_LIST.replace(
                                "[\"q_proj\", \"v_proj\", \"down_proj\"]", "\"all-linear\""),
                        "a.json");
        assertThat(all.targets(MODULES)).hasSize(MODULES.size() - 1).doesNotContain("lm_head");
        LoraConfig rs =
                LoraConfig.parse(
                        PEFT_LIST.replace("\"use_rslora\": false", "\"use_rslora\": true"),
                        "a.json");
        assertThat(rs.scaling("model.layers.0.self_attn.q_proj")).isEqualTo(16 / Math.sqrt(8));
    }

    @Test
    void roundTripsThroughJson() {
        LoraConfig c = LoraConfig.parse(PEFT_LIST, "adapter_config.json");
        LoraConfig back = LoraConfig.parse(c.toJson(), "written");
        for (String m : MODULES) {
            assertThat(back.targets(m)).as(m).isEqualTo(c.targets(m));
            assertThat(back.scaling(m)).as(m).isEqualTo(c.scaling(m));
        }
        assertThat(c.toJson())
                .contains("\"lora_alpha\" : 16", "\"r\" : 8", "\"peft_type\" : \"LORA\"");
    }

    @Test
    void rejectsWhatItCannotHonour() {
        assertThatThrownBy(
                        () ->
                                LoraConfig.parse(
                                        PEFT_LIST.replace(
                                                "\"bias\": \"none\"", "\"bias\": \"all\""),
                                        "x.json"))
                .hasMessageContaining("x.json")
                .hasMessageContaining("bias=all");
        assertThatThrownBy(
                        () -> LoraConfig.parse(PEFT_LIST.replace("\"r\": 8", "\"r\": 0"), "x.json"))
                .hasMessageContaining("\"r\"");
        assertThatThrownBy(() -> LoraConfig.parse("{\"r\": 4}", "y.json"))
                .hasMessageContaining("target_modules");
    }
}
