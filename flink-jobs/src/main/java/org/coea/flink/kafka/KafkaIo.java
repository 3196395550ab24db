package org.coea.flink.kafka;

import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.coea.flink.StreamOptions;

/**
 * The Kafka sources and exactly-once sinks of the jobs: JSON text values, user-id keys. Every
 * client gets {@link StreamOptions#kafkaClientProperties()} (security settings) first, then the
 * settings the jobs own.
 */
public final class KafkaIo {
    private KafkaIo() {}

    /**
     * A source of the topic's values as text, from the committed group offsets (earliest when the
     * group has none), reading only committed records of transactional producers.
     */
    @SuppressWarnings("deprecation") // the connector takes only the deprecated reset strategy type
    public static KafkaSource<String> source(StreamOptions o, String topic, String groupId) {
        return KafkaSource.<String>builder()
                .setProperties(o.kafkaProperties())
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(
                                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /** A source of the topic from the earliest offset to the offsets at start (bounded). */
    public static KafkaSource<String> boundedSource(StreamOptions o, String topic, String groupId) {
        return KafkaSource.<String>builder()
                .setProperties(o.kafkaProperties())
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /**
     * An exactly-once sink (Kafka transactions committed on checkpoints) of keyed records.
     *
     * @param transactionalIdPrefix unique per sink and job in the cluster
     */
    public static <T> KafkaSink<T> exactlyOnceSink(
            StreamOptions o,
            String topic,
            String transactionalIdPrefix,
            SerializationSchema<T> key,
            SerializationSchema<T> value) {
        Properties p = o.kafkaProperties();
        p.setProperty("transaction.timeout.ms", Long.toString(o.transactionTimeout().toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setKafkaProducerConfig(p)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<T>builder()
                                .setTopic(topic)
                                .setKeySerializationSchema(key)
                                .setValueSerializationSchema(value)
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                // a pool of ids, lingering transactions found with ListTransactions: no
                // probing that could fence the producer of a transaction still to be committed
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .build();
    }
}
