package org.coea.model.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RqVaeConfigTest {
    @TempDir Path tmp;

    @Test
    void defaultsAreTheMl1mSettings() {
        RqVaeConfig c = RqVaeConfig.builder().setInputDim(64).setLatentDim(32).build();
        assertThat(c.levels()).isEqualTo(3);
        assertThat(c.codebookSize()).isEqualTo(16);
        assertThat(c.beta()).isEqualTo(0.25);
        assertThat(c.encoderHidden()).containsExactly(128, 64);
        assertThat(c.decoderHidden()).containsExactly(64, 128);
    }

    @Test
    void jsonRoundTrips() {
        RqVaeConfig c =
                RqVaeConfig.builder()
                        .setInputDim(16)
                        .optEncoderHidden(32, 24)
                        .setLatentDim(8)
                        .optDecoderHidden(List.of(20))
                        .optLevels(2)
                        .optCodebookSize(64)
                        .optBeta(0.5)
                        .optSeed(-7)
                        .optDeadCodeSteps(0)
                        .optKmeansIterations(9)
                        .build();
        assertThat(RqVaeConfig.parse(c.toJson(), "t")).isEqualTo(c);
        c.save(tmp.resolve("sub").resolve(RqVaeConfig.FILE));
        assertThat(RqVaeConfig.load(tmp.resolve("sub").resolve(RqVaeConfig.FILE))).isEqualTo(c);
        assertThat(c.toJson()).contains("\"codebook_size\" : 64");
    }

    @Test
    void refusesInvalidValuesAndNamesTheKey() {
        assertThatThrownBy(() -> RqVaeConfig.builder().setInputDim(4).build())
                .hasMessageContaining("latent");
        assertThatThrownBy(
                        () ->
                                RqVaeConfig.builder()
                                        .setInputDim(4)
                                        .setLatentDim(2)
                                        .optCodebookSize(1001)
                                        .build())
                .hasMessageContaining("codebook size");
        String json =
                RqVaeConfig.builder()
                        .setInputDim(4)
                        .setLatentDim(2)
                        .build()
                        .toJson()
                        .replace("\"levels\" : 3,", "");
        assertThatThrownBy(() -> RqVaeConfig.parse(json, "cfg.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cfg.json: missing \"levels\"");
        assertThatThrownBy(() -> RqVaeConfig.parse("[1]", "x.json"))
                .hasMessage("x.json: not a JSON object");
    }
}
