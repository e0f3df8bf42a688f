package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin.listOffsets answers earliest, latest, by timestamp and max timestamp as Kafka does. */
class ListOffsetsIT {

    private static final String TOPIC = "timed";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final long T = 1_700_000_000_000L;
    /** Timestamps of offsets 0..3; the largest is at offset 1. */
    private static final long[] TIMESTAMPS = {T + 1_000, T + 5_000, T + 3_000, T + 4_000};

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void produceRecordsWithExplicitTimestamps() throws Exception {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of());
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int offset = 0; offset < TIMESTAMPS.length; offset++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, TIMESTAMPS[offset], "k", "value-" + offset)).get();
            }
        }
        admin = KafkaClients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldListTheEarliestOffset() throws Exception {
        assertThat(listOffset(OffsetSpec.earliest()).offset()).isZero();
    }

    @Test
    void shouldListTheLatestOffsetAsTheNextOffsetToBeWritten() throws Exception {
        assertThat(listOffset(OffsetSpec.latest()).offset()).isEqualTo(TIMESTAMPS.length);
    }

    @Test
    void shouldListTheFirstOffsetWithATimestampAtOrAfterTheOneAsked() throws Exception {
        ListOffsetsResultInfo exact = listOffset(OffsetSpec.forTimestamp(T + 1_000));
        ListOffsetsResultInfo between = listOffset(OffsetSpec.forTimestamp(T + 2_000));

        assertThat(exact.offset()).isZero();
        assertThat(exact.timestamp()).isEqualTo(T + 1_000);
        assertThat(between.offset()).isEqualTo(1);
        assertThat(between.timestamp()).isEqualTo(T + 5_000);
    }

    @Test
    void shouldListNoOffsetForATimestampAfterEveryRecord() throws Exception {
        assertThat(listOffset(OffsetSpec.forTimestamp(T + 6_000)).offset()).isEqualTo(-1);
    }

    @Test
    void shouldListTheOffsetOfTheRecordWithTheMaxTimestamp() throws Exception {
        ListOffsetsResultInfo max = listOffset(OffsetSpec.maxTimestamp());

        assertThat(max.offset()).isEqualTo(1);
        assertThat(max.timestamp()).isEqualTo(T + 5_000);
    }

    private ListOffsetsResultInfo listOffset(OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(PARTITION, spec)).partitionResult(PARTITION).get();
    }
}
