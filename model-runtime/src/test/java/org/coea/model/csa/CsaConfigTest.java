package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsaConfigTest {
    @TempDir Path tmp;

    @Test
    void jsonRoundTrip() {
        CsaConfig c =
                CsaConfig.builder()
                        .setNumItems(3706)
                        .setNumFeatureValues(30)
                        .setNumFeatureFields(3)
                        .setMaxLength(50)
                        .optHidden(32)
                        .optLayers(3)
                        .optHeads(2)
                        .optDropout(0.2)
                        .optSeed(-5)
                        .build();
        c.save(tmp.resolve("sub/c.json"));
        assertThat(CsaConfig.load(tmp.resolve("sub/c.json"))).isEqualTo(c);
        assertThat(c.toJson()).contains("\"num_items\" : 3706", "\"model_type\" : \"coea-csa\"");
    }

    @Test
    void missingOptionalKeysTakeTheDefaults() {
        CsaConfig c =
                CsaConfig.parse(
                        "{\"num_items\": 10, \"num_feature_values\": 4,"
                                + " \"num_feature_fields\": 2, \"max_length\": 8}",
                        "test");
        assertThat(c.hidden()).isEqualTo(64);
        assertThat(c.layers()).isEqualTo(2);
        assertThat(c.heads()).isEqualTo(4);
        assertThat(c.dropout()).isZero();
        assertThat(c.seed()).isEqualTo(42);
    }

    @Test
    void errorsNameTheSourceAndTheKey() {
        assertThatThrownBy(() -> CsaConfig.parse("{\"num_items\": 10}", "cfg.json"))
                .hasMessageContaining("cfg.json")
                .hasMessageContaining("num_feature_values");
        assertThatThrownBy(
                        () ->
                                CsaConfig.parse(
                                        "{\"num_items\": 10, \"num_feature_values\": 4,"
                                                + " \"num_feature_fields\": 2, \"max_length\": 8,"
                                                + " \"heads\": 5}",
                                        "cfg.json"))
                .hasMessageContaining("cfg.json")
                .hasMessageContaining("heads 5");
        assertThatThrownBy(() -> CsaConfig.parse("{\"model_type\": \"qwen2\"}", "x"))
                .hasMessageContaining("model_type");
        assertThatThrownBy(
                        () ->
                                CsaConfig.builder()
                                        .setNumItems(1)
                                        .setNumFeatureValues(1)
                                        .setNumFeatureFields(1)
                                        .setMaxLength(1)
                                        .build())
                .hasMessageContaining("num_items");
        assertThatThrownBy(
                        () ->
                                CsaConfig.builder()
                                        .setNumItems(5)
                                        .setNumFeatureValues(1)
                                        .setNumFeatureFields(1)
                                        .setMaxLength(1)
                                        .optDropout(1.0)
                                        .build())
                .hasMessageContaining("dropout");
    }
}
