package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records up to message.max.bytes are stored; larger ones fail quickly with RecordTooLargeException. */
class SizeLimitIT {

    private static final String TOPIC = "sized";
    private static final int DEFAULT_MESSAGE_MAX_BYTES = 1_048_588;
    /** Room for the batch header (61 bytes) and the record's own framing. */
    private static final int BATCH_OVERHEAD_MARGIN = 200;

    @TempDir
    Path tempDir;

    @Test
    void shouldRoundTripARecordJustBelowMessageMaxBytes() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
            String value = "v".repeat(DEFAULT_MESSAGE_MAX_BYTES - BATCH_OVERHEAD_MARGIN);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(),
                    Map.of("max.request.size", 2 * DEFAULT_MESSAGE_MAX_BYTES))) {
                producer.send(new ProducerRecord<>(TOPIC, "big", value)).get();
            }

            List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);

            assertThat(records).singleElement().extracting(ConsumerRecord::value).isEqualTo(value);
        }
    }

    @Test
    void shouldFailInTheProducerWhenARecordExceedsMaxRequestSize() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                Future<RecordMetadata> send = producer.send(new ProducerRecord<>(TOPIC, "huge", "v".repeat(2 * DEFAULT_MESSAGE_MAX_BYTES)));

                assertThat(send).failsWithin(Duration.ofSeconds(10))
                        .withThrowableOfType(ExecutionException.class)
                        .withCauseInstanceOf(RecordTooLargeException.class);
            }
        }
    }

    @Test
    void shouldFailWithRecordTooLargeWhenTheBrokerRefusesABatchOverMessageMaxBytes() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("message.max.bytes", "10000"))) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(),
                    Map.of("max.request.size", 1_000_000))) {
                Future<RecordMetadata> send = producer.send(new ProducerRecord<>(TOPIC, "large", "v".repeat(20_000)));

                assertThat(send).failsWithin(Duration.ofSeconds(10))
                        .withThrowableOfType(ExecutionException.class)
                        .withCauseInstanceOf(RecordTooLargeException.class);
            }
            assertThat(TopicReader.endOffsets(broker.bootstrapServers(), TOPIC)).containsEntry(new TopicPartition(TOPIC, 0), 0L);
        }
    }
}
