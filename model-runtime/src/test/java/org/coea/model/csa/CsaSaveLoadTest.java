package org.coea.model.csa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsFile;
import org.coea.model.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsaSaveLoadTest {
    @TempDir Path tmp;

    static final List<int[]> HISTORIES =
            List.of(new int[] {1, 2, 3}, new int[] {30, 29, 28, 27, 26, 25, 24, 23}, new int[] {});
    static final List<int[]> FEATURES =
            List.of(new int[] {1, 2, 3}, new int[] {0, 0, 10}, new int[] {4, 0, 0});

    @Test
    void aSavedEncoderReloadsWithIdenticalUserVectors() throws Exception {
        float[][] before;
        try (CsaEncoder encoder = CsaEncoder.create(CsaFixtures.tiny())) {
            CsaFixtures.randomise(encoder, 21);
            before = encoder.userVectors(HISTORIES, FEATURES);
            encoder.save(tmp);
        }
        assertThat(tmp.resolve(CsaEncoder.CONFIG_FILE)).exists();
        try (SafetensorsFile f = SafetensorsFile.open(tmp.resolve(CsaEncoder.WEIGHTS_FILE))) {
            assertThat(f.names()).contains("item_embedding.weight", "final_norm.bias");
            assertThat(f.info("item_embedding.weight").dtype()).isEqualTo(SafetensorsDtype.F32);
        }
        try (CsaEncoder loaded = CsaEncoder.load(tmp)) {
            assertThat(loaded.config()).isEqualTo(CsaFixtures.tiny());
            float[][] after = loaded.userVectors(HISTORIES, FEATURES);
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).as("user %d", i).containsExactly(before[i]);
            }
        }
    }

    @Test
    void loadingNamesAMissingOrMisshapenWeight() throws Exception {
        try (CsaEncoder encoder = CsaEncoder.create(CsaFixtures.tiny())) {
            encoder.save(tmp);
            Map<String, NDArray> weights = new LinkedHashMap<>(encoder.parameters());
            weights.remove("blocks.1.ffn.up.bias");
            SafetensorsWriter.writeArrays(
                    tmp.resolve(CsaEncoder.WEIGHTS_FILE), weights, SafetensorsDtype.F32, Map.of());
        }
        assertThatThrownBy(() -> CsaEncoder.load(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blocks.1.ffn.up.bias");
        Files.writeString(
                tmp.resolve(CsaEncoder.CONFIG_FILE),
                CsaFixtures.tiny().toJson().replace("\"max_length\" : 6", "\"max_length\" : 7"));
        try (CsaEncoder encoder = CsaEncoder.create(CsaFixtures.tiny())) {
            encoder.save(tmp.resolve("other"));
        }
        Files.copy(
                tmp.resolve(CsaEncoder.CONFIG_FILE),
                tmp.resolve("other").resolve(CsaEncoder.CONFIG_FILE),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CsaEncoder.load(tmp.resolve("other")))
                .hasMessageContaining("position_embedding.weight");
    }
}
