package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's background retention deletes whole old segments, by size and by age, and clients see
 * the log start offset move: the earliest offset lists higher, and a consumer from the beginning
 * starts there, with every later record intact.
 */
class RetentionIT {

    private static final TopicPartition PARTITION = new TopicPartition("retained", 0);
    private static final int RECORDS = 5_000;
    private static final String VALUE = "v".repeat(1_000);
    /** Kafka's (and Runnel's) smallest segment. */
    private static final String SEGMENT_BYTES = "1048576";

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldDeleteOldestSegmentsBeyondRetentionBytes() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of(
                "log.segment.bytes", SEGMENT_BYTES, "log.retention.bytes", "2097152", "log.retention.check.interval.ms", "100"));
        produce(System.currentTimeMillis());

        // About 5 MiB written in 1 MiB segments; retention keeps under 2 MiB plus one segment.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(segmentFiles()).hasSizeLessThanOrEqualTo(4));
        long earliest = listOffset(OffsetSpec.earliest());

        assertThat(earliest).isPositive();
        assertThat(TopicReader.readAll(broker.bootstrapServers(), PARTITION.topic()))
                .extracting(record -> record.offset())
                .containsExactlyElementsOf(offsets(earliest, RECORDS));
    }

    @Test
    void shouldDeleteSegmentsWhoseRecordsAreOlderThanRetentionMs() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of("log.segment.bytes", SEGMENT_BYTES, "log.retention.check.interval.ms", "100"));
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(PARTITION.topic(), 1, (short) 1)
                    .configs(Map.of("retention.ms", "86400000")))).all().get();
        }
        produce(System.currentTimeMillis() - Duration.ofDays(2).toMillis());

        // Every record is past retention, so the whole log goes; its end offset stays where it was.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(listOffset(OffsetSpec.earliest())).isEqualTo(RECORDS));
        assertThat(listOffset(OffsetSpec.latest())).isEqualTo(RECORDS);
        assertThat(TopicReader.readAll(broker.bootstrapServers(), PARTITION.topic())).isEmpty();
    }

    @Test
    void shouldNotDeleteByAgeWhenTheCleanupPolicyIsOnlyCompact() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of("log.segment.bytes", SEGMENT_BYTES, "log.retention.check.interval.ms", "100"));
        TopicPartition compacted = new TopicPartition("compacted", 0);
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(
                    new NewTopic(compacted.topic(), 1, (short) 1).configs(Map.of("retention.ms", "86400000", "cleanup.policy", "compact")),
                    new NewTopic(PARTITION.topic(), 1, (short) 1).configs(Map.of("retention.ms", "86400000")))).all().get();
        }
        long twoDaysAgo = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        produce(compacted, twoDaysAgo);
        produce(PARTITION, twoDaysAgo);

        // Retention has run over both topics once the delete-policy one is empty.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(listOffset(PARTITION, OffsetSpec.earliest())).isEqualTo(RECORDS));
        assertThat(listOffset(compacted, OffsetSpec.earliest())).isZero();
        assertThat(TopicReader.readAll(broker.bootstrapServers(), compacted.topic())).hasSize(RECORDS);
    }

    private void produce(long timestamp) throws Exception {
        produce(PARTITION, timestamp);
    }

    private void produce(TopicPartition partition, long timestamp) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("linger.ms", 0, "batch.size", 16_384))) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), timestamp, "k" + i, VALUE));
            }
            producer.flush();
        }
    }

    private long listOffset(OffsetSpec spec) throws Exception {
        return listOffset(PARTITION, spec);
    }

    private long listOffset(TopicPartition partition, OffsetSpec spec) throws Exception {
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get().offset();
        }
    }

    private List<Path> segmentFiles() throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve(PARTITION.topic() + "-0"))) {
            return files.filter(file -> file.toString().endsWith(".log")).toList();
        }
    }

    private static List<Long> offsets(long from, long to) {
        return Stream.iterate(from, offset -> offset < to, offset -> offset + 1).toList();
    }
}
