package org.coea.flink.testutils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process Kafka cluster of one combined broker and controller (KRaft), set up for
 * transactions with a single replica, with helpers to create topics, produce and read back.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final Properties clientSettings;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Properties clientSettings) {
        this.cluster = cluster;
        this.clientSettings = clientSettings;
    }

    /** Formats and starts a cluster with its logs under {@code dir}; returns when it is ready. */
    public static EmbeddedKafka start(Path dir) throws Exception {
        return start(dir, SecurityProtocol.PLAINTEXT);
    }

    /**
     * A cluster whose broker listener accepts only SASL/PLAIN clients (the test kit's users, ACLs
     * on, {@value JaasUtils#KAFKA_PLAIN_ADMIN} a super user); this class's own clients log in as
     * the admin.
     */
    public static EmbeddedKafka startSasl(Path dir) throws Exception {
        return start(dir, SecurityProtocol.SASL_PLAINTEXT);
    }

    private static EmbeddedKafka start(Path dir, SecurityProtocol protocol) throws Exception {
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        // the test kit's SASL set-up wants the controller apart
                                        .setCombined(protocol == SecurityProtocol.PLAINTEXT)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .setBrokerSecurityProtocol(protocol)
                                        .setBaseDirectory(dir)
                                        .build())
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "2")
                        .setConfigProp("transaction.state.log.num.partitions", "2")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("log.flush.interval.messages", Long.MAX_VALUE)
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        Properties settings = new Properties();
        if (protocol == SecurityProtocol.SASL_PLAINTEXT) {
            settings.put("security.protocol", "SASL_PLAINTEXT");
            settings.put("sasl.mechanism", "PLAIN");
            settings.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + JaasUtils.KAFKA_PLAIN_ADMIN
                            + "\" password=\""
                            + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD
                            + "\";");
        }
        return new EmbeddedKafka(cluster, settings);
    }

    /** The bootstrap servers of the broker. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates topics with {@code partitions} partitions each. */
    public void createTopics(int partitions, String... names) throws Exception {
        Properties a = new Properties();
        a.putAll(clientSettings);
        a.put("bootstrap.servers", bootstrapServers());
        try (Admin admin = Admin.create(a)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    /**
     * Produces keyed records (key may be null) in order, and waits until all are acknowledged.
     *
     * @throws IllegalStateException when a record was not written: a test must not lose input
     */
    public void produce(String topic, List<Map.Entry<String, String>> records) {
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
                new ArrayList<>(records.size());
        try (KafkaProducer<String, String> p = producer()) {
            for (Map.Entry<String, String> r : records) {
                sent.add(p.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
            }
            p.flush();
            for (var f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + topic, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "a record to " + topic + " was not written: " + e.getCause(), e);
        }
    }

    /** A producer of text keys and values (idempotent, acks=all). */
    public KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // the broker shares a busy JVM and 2 cores: a request that times out makes the idempotent
        // producer bump its epoch and reset sequences, which the broker rejects (out of order)
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** A read_committed consumer of text keys and values, from the earliest offsets. */
    public KafkaConsumer<String, String> committedConsumer() {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /**
     * Every committed record of a topic (read_committed), partition by partition in offset order,
     * read up to the end offsets at call time.
     */
    public List<ConsumerRecord<String, String>> readCommitted(String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = committedConsumer()) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(
                java.util.Comparator.<ConsumerRecord<String, String>>comparingInt(
                                ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the broker: " + e.getMessage(), e);
        }
    }
}
