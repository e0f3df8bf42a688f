package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.ReadBackAssertions;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cleanly restarted broker keeps everything it acknowledged and continues each partition where it ended. */
class RestartIT {

    private static final String TOPIC = "restarted";
    private static final int PARTITIONS = 3;

    @TempDir
    Path tempDir;

    @Test
    void shouldKeepEveryAcknowledgedRecordAcrossRestart() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            Acknowledgements acks = new Acknowledgements();
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                send(producer, acks, 0, 5_000);
            }

            broker.restart();

            List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);
            assertThat(records).hasSize(5_000);
            ReadBackAssertions.assertOffsetsContiguousFromZero(records);
            ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(records, acks.acknowledged());
        }
    }

    @Test
    void shouldAppendAtTheNextOffsetAfterRestart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                send(producer, new Acknowledgements(), 0, 1_000);
            }
            Map<TopicPartition, Long> endsBeforeRestart = TopicReader.endOffsets(broker.bootstrapServers(), TOPIC);

            broker.restart();

            assertThat(TopicReader.endOffsets(broker.bootstrapServers(), TOPIC)).isEqualTo(endsBeforeRestart);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    RecordMetadata metadata = producer.send(new ProducerRecord<>(TOPIC, partition, "after", "after-restart")).get();
                    assertThat(metadata.offset()).as("first offset of partition %d after restart", partition)
                            .isEqualTo(endsBeforeRestart.get(new TopicPartition(TOPIC, partition)));
                }
            }
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);
            assertThat(records).hasSize(1_000 + PARTITIONS);
            ReadBackAssertions.assertOffsetsContiguousFromZero(records);
        }
    }

    @Test
    void shouldLetAnIdempotentProducerContinueAcrossRestart() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            Acknowledgements acks = new Acknowledgements();
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                send(producer, acks, 0, 1_000);

                broker.restart();

                send(producer, acks, 1_000, 2_000);
            }

            assertThat(acks.failures()).isEmpty();
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);
            assertThat(records).hasSize(2_000);
            ReadBackAssertions.assertOffsetsContiguousFromZero(records);
            ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(records, acks.acknowledged());
        }
    }

    /** Sends values {@code from} (inclusive) to {@code to} (exclusive) and waits until all are acknowledged. */
    private static void send(KafkaProducer<String, String> producer, Acknowledgements acks, int from, int to) {
        for (int i = from; i < to; i++) {
            String key = "key-" + (i % 50);
            String value = "value-" + i;
            producer.send(new ProducerRecord<>(TOPIC, key, value), acks.callbackFor(key, value));
        }
        producer.flush();
        assertThat(acks.failures()).isEmpty();
        assertThat(acks.acknowledgedCount()).isEqualTo(to);
    }
}
