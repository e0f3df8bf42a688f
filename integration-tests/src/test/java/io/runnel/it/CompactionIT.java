package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.AcknowledgedRecord;
import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log compaction through real clients: after the background cleaner ran, a consumer reading a
 * compacted topic from the beginning sees exactly the latest value of each key, at the offset the
 * producer was told; tombstones go after {@code delete.retention.ms}; {@code compact,delete} also
 * deletes old segments; an idempotent producer whose batches were cleaned away keeps producing.
 */
class CompactionIT {

    private static final String TOPIC = "compacted";
    private static final String SENTINEL = "sentinel";
    private static final String VALUE_PADDING = "p".repeat(1_000);
    private static final Duration CLEANED_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir, Map.of("log.cleaner.backoff.ms", "100", "log.retention.check.interval.ms", "100",
                "log.cleaner.dedupe.buffer.size", "4194304"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldLeaveExactlyTheLatestValueOfEachKeyAtItsOriginalOffset() throws Exception {
        createCompactedTopic(Map.of());
        Acknowledgements acks = new Acknowledgements();
        // 4 MB of updates: several 1 MiB segments
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int round = 0; round < 40; round++) {
                for (int key = 0; key < 100; key++) {
                    String value = round + "-" + VALUE_PADDING;
                    producer.send(new ProducerRecord<>(TOPIC, "k" + key, value), acks.callbackFor("k" + key, value));
                }
            }
            producer.flush();
        }
        assertThat(acks.failures()).isEmpty();
        Map<String, AcknowledgedRecord> latest = new HashMap<>();
        acks.acknowledged().forEach(ack -> latest.merge(ack.key(), ack, (a, b) -> a.offset() > b.offset() ? a : b));

        // the sentinel's writes roll the last segment of updates on time (segment.ms), so it gets cleaned too
        await().atMost(CLEANED_WITHIN).untilAsserted(() -> {
            produceSentinel();
            List<ConsumerRecord<String, String>> updates = readUpdates();
            assertThat(updates).hasSize(latest.size());
            for (ConsumerRecord<String, String> record : updates) {
                assertThat(record.offset()).isEqualTo(latest.get(record.key()).offset());
                assertThat(record.value()).isEqualTo(latest.get(record.key()).value());
            }
        });
    }

    @Test
    void shouldRemoveTombstonesAfterDeleteRetention() throws Exception {
        createCompactedTopic(Map.of("delete.retention.ms", "3000"));
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int key = 0; key < 10; key++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + key, "value")).get();
            }
            for (int key = 0; key < 5; key++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + key, null)).get();
            }
        }

        // first the values of deleted keys go and their tombstones stay, so readers see the deletion
        await().atMost(CLEANED_WITHIN).untilAsserted(() -> {
            produceSentinel();
            assertThat(readUpdates()).extracting(ConsumerRecord::value)
                    .containsExactly("value", "value", "value", "value", "value", null, null, null, null, null);
        });
        // then, delete.retention.ms after that cleaning, the tombstones go too
        await().atMost(CLEANED_WITHIN).untilAsserted(() -> {
            produceSentinel();
            assertThat(readUpdates()).extracting(ConsumerRecord::key).containsExactly("k5", "k6", "k7", "k8", "k9");
        });
    }

    @Test
    void shouldAlsoDeleteOldSegmentsWithCompactAndDelete() throws Exception {
        createCompactedTopic(Map.of("cleanup.policy", "compact,delete", "retention.ms", "86400000"));
        long twoDaysAgo = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 3_000; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, twoDaysAgo, "k" + i, VALUE_PADDING));
            }
            producer.flush();
        }

        await().atMost(CLEANED_WITHIN).untilAsserted(() -> assertThat(earliestOffset()).isEqualTo(3_000));
        assertThat(readUpdates()).isEmpty();
    }

    @Test
    void shouldKeepAnIdempotentProducerWorkingAfterItsBatchesWereCleanedAway() throws Exception {
        createCompactedTopic(Map.of());
        try (KafkaProducer<String, String> idempotent = KafkaClients.producer(broker.bootstrapServers())) {
            long first = idempotent.send(new ProducerRecord<>(TOPIC, "shared", "from the idempotent producer")).get().offset();
            try (KafkaProducer<String, String> other = KafkaClients.producer(broker.bootstrapServers(), Map.of("enable.idempotence", false))) {
                for (int i = 0; i < 4_000; i++) {
                    other.send(new ProducerRecord<>(TOPIC, "shared", i + "-" + VALUE_PADDING));
                }
                other.flush();
            }
            await().atMost(CLEANED_WITHIN).untilAsserted(() -> {
                produceSentinel();
                assertThat(readUpdates()).singleElement().satisfies(record -> assertThat(record.offset()).isGreaterThan(first));
            });
            broker.restart();

            long next = idempotent.send(new ProducerRecord<>(TOPIC, "own", "still producing")).get().offset();

            assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC)).filteredOn(record -> record.key().equals("own"))
                    .singleElement().satisfies(record -> assertThat(record.offset()).isEqualTo(next));
        }
    }

    /** As Kafka 4.3.1 answers (checked side by side): the keyless record fails with its own error, the rest of its batch with another. */
    @Test
    void shouldRefuseRecordsWithoutKey() throws Exception {
        createCompactedTopic(Map.of());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("retries", 0, "linger.ms", 100))) {
            Future<RecordMetadata> keyless = producer.send(new ProducerRecord<>(TOPIC, null, "no key"));
            Future<RecordMetadata> sameBatch = producer.send(new ProducerRecord<>(TOPIC, "key", "value"));

            assertThatThrownBy(keyless::get).isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidRecordException.class)
                    .hasMessage("Compacted topic cannot accept message without key in topic partition compacted-0");
            assertThatThrownBy(sameBatch::get).isInstanceOf(ExecutionException.class).cause()
                    .hasMessage("Failed to append record because it was part of a batch which had one more more invalid records");
            assertThat(producer.send(new ProducerRecord<>(TOPIC, "key", "value")).get().offset()).isZero();
        }
    }

    @Test
    void shouldAnswerKeylessRecordsWithInvalidRecordAndOneErrorPerRecord() throws Exception {
        createCompactedTopic(Map.of());
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            PartitionProduceResponse response = RawRequests.produce(connection, TOPIC, 0, RawRequests.batchOf("a", "b"));

            assertThat(response.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
            assertThat(response.baseOffset()).isEqualTo(-1);
            assertThat(response.recordErrors()).extracting(BatchIndexAndErrorMessage::batchIndex).containsExactly(0, 1);
            assertThat(response.recordErrors()).extracting(BatchIndexAndErrorMessage::batchIndexErrorMessage)
                    .containsOnly("Compacted topic cannot accept message without key in topic partition compacted-0");
            assertThat(response.errorMessage()).startsWith("One or more records have been rejected due to 2 record errors");
        }
        assertThat(TopicReader.endOffsets(broker.bootstrapServers(), TOPIC)).containsValue(0L);
    }

    private void createCompactedTopic(Map<String, String> configs) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("cleanup.policy", "compact", "segment.bytes", "1048576", "segment.ms", "1000",
                "min.cleanable.dirty.ratio", "0.01"));
        all.putAll(configs);
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(all))).all().get();
        }
    }

    private void produceSentinel() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(TOPIC, SENTINEL, "tick")).get();
        }
    }

    /** Every record from the beginning but the sentinel's. */
    private List<ConsumerRecord<String, String>> readUpdates() {
        return TopicReader.readAll(broker.bootstrapServers(), TOPIC).stream().filter(record -> !SENTINEL.equals(record.key())).toList();
    }

    private long earliestOffset() throws Exception {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get().offset();
        }
    }
}
