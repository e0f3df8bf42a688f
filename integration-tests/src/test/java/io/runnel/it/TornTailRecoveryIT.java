package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.SegmentFiles;
import io.runnel.it.support.SegmentFiles.BatchLocation;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log whose last batch is torn or corrupt, left without a clean-shutdown marker (as after a crash), is
 * recovered: the broker starts, drops the damaged batch and everything after it, keeps everything before.
 */
class TornTailRecoveryIT {

    private static final String TOPIC = "torn";
    private static final int BATCHES = 50;

    @TempDir
    Path tempDir;

    @Test
    void shouldDropTruncatedLastBatchAndKeepEarlierRecords() throws Exception {
        assertRecoversFrom((segment, lastBatch) -> SegmentFiles.truncateTail(segment, 3));
    }

    @Test
    void shouldDropLastBatchWithCorruptByteAndKeepEarlierRecords() throws Exception {
        assertRecoversFrom((segment, lastBatch) -> SegmentFiles.flipByte(segment, lastBatch.position() + lastBatch.size() - 3L));
    }

    private interface Damage {
        void apply(Path segment, BatchLocation lastBatch);
    }

    private void assertRecoversFrom(Damage damage) throws ExecutionException, InterruptedException {
        Path logDir = tempDir.resolve("data");
        try (EmbeddedBroker broker = EmbeddedBroker.start(logDir, Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
            produceOneBatchPerRecord(broker.bootstrapServers());
            broker.close();

            Path segment = SegmentFiles.lastSegment(logDir, TOPIC, 0);
            BatchLocation lastBatch = SegmentFiles.lastBatch(segment);
            assertThat(lastBatch.lastOffset()).isEqualTo(BATCHES - 1);
            damage.apply(segment, lastBatch);
            SegmentFiles.removeCleanShutdownMarker(logDir);

            broker.restart();

            long firstLostOffset = lastBatch.baseOffset();
            assertThat(TopicReader.endOffsets(broker.bootstrapServers(), TOPIC))
                    .containsEntry(new TopicPartition(TOPIC, 0), firstLostOffset);
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);
            assertThat(records).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(values(firstLostOffset));
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                long offset = producer.send(new ProducerRecord<>(TOPIC, 0, "k", "after-recovery")).get().offset();
                assertThat(offset).isEqualTo(firstLostOffset);
            }
        }
    }

    /** Sends each record only after the previous one is acknowledged, so each is a batch of its own. */
    private static void produceOneBatchPerRecord(String bootstrapServers) throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrapServers)) {
            for (String value : values(BATCHES)) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k", value)).get();
            }
        }
    }

    private static List<String> values(long count) {
        return LongStream.range(0, count).mapToObj(i -> "value-" + i).toList();
    }
}
