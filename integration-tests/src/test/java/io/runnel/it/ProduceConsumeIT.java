package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.ReadBackAssertions;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed example: 100,000 keyed records from a producer with Kafka's default configuration, read back
 * by a group-less consumer.
 */
class ProduceConsumeIT {

    private static final int RECORDS = 100_000;
    private static final int KEYS = 1_000;
    private static final int PARTITIONS = 6;

    @TempDir
    Path tempDir;

    @Test
    void shouldReadBackEveryRecordInOrderFromCreatedTopic() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), "orders", PARTITIONS);

            Acknowledgements acks = produceWithSeedExampleProducer(broker.bootstrapServers(), "orders");

            assertEveryRecordReadBack(broker.bootstrapServers(), "orders", acks);
        }
    }

    @Test
    void shouldReadBackEveryRecordFromTopicAutoCreatedByProducer() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("num.partitions", String.valueOf(PARTITIONS)))) {
            Acknowledgements acks = produceWithSeedExampleProducer(broker.bootstrapServers(), "auto-created");

            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers())) {
                assertThat(TopicReader.partitionsOf(consumer, "auto-created")).hasSize(PARTITIONS);
            }
            assertEveryRecordReadBack(broker.bootstrapServers(), "auto-created", acks);
        }
    }

    /** The producer of the seed example, unchanged in substance: serializers only, Kafka's defaults. */
    private static Acknowledgements produceWithSeedExampleProducer(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        properties.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        Acknowledgements acks = new Acknowledgements();
        try (KafkaProducer<String, String> kafkaProducer = new KafkaProducer<>(properties)) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "key-" + (i % KEYS);
                String value = String.valueOf(i);
                kafkaProducer.send(new ProducerRecord<>(topic, key, value), acks.callbackFor(key, value));
            }
            kafkaProducer.flush();
        }
        assertThat(acks.failures()).isEmpty();
        assertThat(acks.acknowledgedCount()).isEqualTo(RECORDS);
        return acks;
    }

    private static void assertEveryRecordReadBack(String bootstrapServers, String topic, Acknowledgements acks) {
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(bootstrapServers, topic);

        assertThat(records).hasSize(RECORDS);
        ReadBackAssertions.assertOffsetsContiguousFromZero(records);
        ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(records, acks.acknowledged());
        assertEachKeyInOnePartitionInSendOrder(records);
    }

    private static void assertEachKeyInOnePartitionInSendOrder(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Integer> lastValueOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            int partitionOfFirstRecord = partitionOfKey.computeIfAbsent(record.key(), key -> record.partition());
            assertThat(record.partition()).as("partition of key %s", record.key()).isEqualTo(partitionOfFirstRecord);
            int value = Integer.parseInt(record.value());
            Integer previous = lastValueOfKey.put(record.key(), value);
            if (previous != null) {
                assertThat(value).as("value after %d of key %s", previous, record.key()).isEqualTo(previous + KEYS);
            } else {
                assertThat(value).as("first value of key %s", record.key()).isLessThan(KEYS);
            }
        }
        assertThat(partitionOfKey).hasSize(KEYS);
    }
}
