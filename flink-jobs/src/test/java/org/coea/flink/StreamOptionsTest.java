package org.coea.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamOptionsTest {
    @TempDir Path tmp;

    private static StreamOptions with(java.util.Map<String, String> props) {
        return new StreamOptions(
                "localhost:9092",
                Duration.ofSeconds(1),
                1,
                0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                props);
    }

    @Test
    void clientPropertiesAreReadAndNeverPrintedWithTheirValues() throws Exception {
        Path file = tmp.resolve("client.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=secret-value\nssl.truststore.location=/etc/kafka/ts.jks\n");
        StreamOptions o = with(StreamOptions.clientProperties(file));
        assertThat(o.kafkaClientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "secret-value")
                .hasSize(4);
        assertThat(o.toString()).contains("sasl.jaas.config").doesNotContain("secret-value");
        assertThat(o.kafkaProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void aFileSettingWhatTheJobsOwnOrMissingIsRejectedByName() throws Exception {
        Path file = tmp.resolve("owned.properties");
        Files.writeString(file, "security.protocol=SSL\nisolation.level=read_uncommitted\n");
        assertThatThrownBy(() -> StreamOptions.clientProperties(file))
                .hasMessageContaining("kafka.client-properties")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("isolation.level");
        Path missing = tmp.resolve("missing.properties");
        assertThatThrownBy(() -> StreamOptions.clientProperties(missing))
                .hasMessageContaining("cannot read " + missing);
    }

    @Test
    void theOptionsStayJavaSerializableWithClientProperties() throws Exception {
        StreamOptions o = with(java.util.Map.of("security.protocol", "SSL"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(o);
        }
    }
}
