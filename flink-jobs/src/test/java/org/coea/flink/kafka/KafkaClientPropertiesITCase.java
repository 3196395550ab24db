package org.coea.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.test.JaasUtils;
import org.coea.flink.StreamOptions;
import org.coea.flink.shortterm.ShortTermInterestJob;
import org.coea.flink.testutils.ClickData;
import org.coea.flink.testutils.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.client-properties} against a broker that accepts only SASL/PLAIN clients: the
 * short-term job reads and writes through it with the credentials resolved by Kafka's file config
 * provider from a separate secrets file (none in the properties file), and fails with an
 * authentication error when the secret is wrong.
 */
class KafkaClientPropertiesITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path tmp;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.startSasl(tmp.resolve("kafka"));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A client properties file whose JAAS line comes from a secrets file holding the password. */
    private static Path clientProperties(String name, String password) throws Exception {
        Path secrets = tmp.resolve(name + "-secrets.properties");
        Files.writeString(
                secrets,
                "jaas=org.apache.kafka.common.security.plain.PlainLoginModule required username=\\\""
                        + JaasUtils.KAFKA_PLAIN_ADMIN
                        + "\\\" password=\\\""
                        + password
                        + "\\\";\n");
        Path file = tmp.resolve(name + ".properties");
        Files.writeString(
                file,
                "security.protocol=SASL_PLAINTEXT\n"
                        + "sasl.mechanism=PLAIN\n"
                        + "config.providers=file\n"
                        + "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
                        + "sasl.jaas.config=${file:"
                        + secrets.toString().replace("\\", "/")
                        + ":jaas}\n");
        return file;
    }

    private static ShortTermInterestJob.Settings settings(
            String prefix, ClickData data, Path props) {
        StreamOptions stream =
                new StreamOptions(
                        kafka.bootstrapServers(),
                        Duration.ofMillis(500),
                        2,
                        0,
                        Duration.ofMillis(200),
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(5),
                        StreamOptions.clientProperties(props));
        return new ShortTermInterestJob.Settings(
                stream,
                prefix + "-clicks",
                prefix + "-short-term-interests",
                prefix + "-dead-letter",
                5,
                Duration.ofDays(30),
                data.items(),
                prefix + "-group",
                prefix + "-tx",
                true,
                Optional.empty(),
                Optional.empty());
    }

    private static void run(ShortTermInterestJob.Settings s) throws Exception {
        StreamExecutionEnvironment env = s.stream().environment();
        ShortTermInterestJob.wire(env, s, UnaryOperator.identity());
        env.execute("sasl-" + s.clicksTopic());
    }

    @Test
    void theJobsReadAndWriteThroughSaslWithTheSecretOutsideTheFile() throws Exception {
        ClickData data = new ClickData(10, 300, 40, 5);
        String p = "sasl";
        kafka.createTopics(2, p + "-clicks", p + "-short-term-interests", p + "-dead-letter");
        List<Map.Entry<String, String>> records = data.records();
        kafka.produce(p + "-clicks", records);
        Path props = clientProperties("good", JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
        assertThat(Files.readString(props)).doesNotContain(JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
        ShortTermInterestJob.Settings s = settings(p, data, props);
        assertThat(s.stream().toString()).contains("sasl.jaas.config").doesNotContain("${file:");

        run(s);

        long expected = data.expectedUpdates(5).values().stream().mapToLong(List::size).sum();
        assertThat(kafka.readCommitted(p + "-short-term-interests")).hasSize((int) expected);
        assertThat(kafka.readCommitted(p + "-dead-letter")).hasSize(ClickData.BAD.size());
    }

    @Test
    void aWrongSecretFailsTheJobWithAnAuthenticationError() throws Exception {
        ClickData data = new ClickData(5, 50, 20, 3);
        String p = "badsecret";
        kafka.createTopics(1, p + "-clicks", p + "-short-term-interests", p + "-dead-letter");
        kafka.produce(p + "-clicks", data.records());
        ShortTermInterestJob.Settings s =
                settings(p, data, clientProperties("bad", "not-the-password"));
        assertThatThrownBy(() -> run(s))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, SaslAuthenticationException.class))
                                        .as("an authentication error in %s", e)
                                        .isPresent());
    }
}
