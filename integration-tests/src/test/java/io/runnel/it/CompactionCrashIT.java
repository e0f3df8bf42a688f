package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.AcknowledgedRecord;
import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.BrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process killed with SIGKILL while its cleaner is writing or swapping cleaned segments
 * (a {@code .cleaned} or {@code .swap} file is on disk) comes back with every key's latest
 * acknowledged value, every record at the offset it was acknowledged at, and no offset twice.
 */
class CompactionCrashIT {

    private static final String TOPIC = "compacted";
    private static final int KEYS = 200;
    private static final int MAX_SENDS = 200_000;
    private static final String PADDING = "x".repeat(500);

    @TempDir
    Path tempDir;

    @Test
    void shouldKeepTheLatestValueOfEveryKeyAtItsOffsetAfterAKillDuringCleaning() throws Exception {
        Path dataDir = tempDir.resolve("data");
        Map<String, String> overrides = Map.of("log.cleaner.backoff.ms", "10", "log.cleaner.dedupe.buffer.size", "4194304");
        Acknowledgements acks = new Acknowledgements();
        boolean killedWhileCleaning;
        try (BrokerProcess broker = BrokerProcess.start(dataDir, overrides)) {
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                        "segment.bytes", "1048576", "min.cleanable.dirty.ratio", "0.01")))).all().get();
            }
            killedWhileCleaning = sendUntilKilledDuringCleaning(broker, dataDir.resolve(TOPIC + "-0"), acks);
        }
        assertThat(killedWhileCleaning).as("a .cleaned or .swap file was seen before the kill").isTrue();

        try (BrokerProcess recovered = BrokerProcess.start(dataDir, overrides)) {
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(recovered.bootstrapServers(), TOPIC);

            assertThat(records).extracting(ConsumerRecord::offset).isSorted().doesNotHaveDuplicates();
            Map<String, Long> acknowledgedOffsets = new HashMap<>();
            Map<String, AcknowledgedRecord> latestAcknowledged = new HashMap<>();
            for (AcknowledgedRecord ack : acks.acknowledged()) {
                acknowledgedOffsets.put(ack.value(), ack.offset());
                latestAcknowledged.merge(ack.key(), ack, (a, b) -> a.offset() > b.offset() ? a : b);
            }
            Map<String, ConsumerRecord<String, String>> latestRead = new HashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                latestRead.put(record.key(), record);
                if (acknowledgedOffsets.containsKey(record.value())) {
                    assertThat(record.offset()).as("offset of %s", record.value()).isEqualTo(acknowledgedOffsets.get(record.value()));
                }
            }
            for (AcknowledgedRecord latest : latestAcknowledged.values()) {
                ConsumerRecord<String, String> read = latestRead.get(latest.key());
                assertThat(read).as("latest record of %s", latest.key()).isNotNull();
                assertThat(read.offset()).as("latest record of %s", latest.key()).isGreaterThanOrEqualTo(latest.offset());
                if (read.offset() == latest.offset()) {
                    assertThat(read.value()).isEqualTo(latest.value());
                }
            }
        }
    }

    /** Sends updates without pause; kills the broker as soon as a cleaning is seen in progress on disk. */
    private static boolean sendUntilKilledDuringCleaning(BrokerProcess broker, Path partitionDir, Acknowledgements acks) {
        KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("linger.ms", 5));
        try {
            for (int i = 0; i < MAX_SENDS && broker.isAlive(); i++) {
                String key = "k" + (i % KEYS);
                String value = i + "-" + PADDING;
                producer.send(new ProducerRecord<>(TOPIC, key, value), acks.callbackFor(key, value));
                if (i % 50 == 0 && cleaningInProgress(partitionDir)) {
                    broker.kill();
                    return true;
                }
            }
            broker.kill();
            return false;
        } finally {
            producer.close(Duration.ZERO);
        }
    }

    private static boolean cleaningInProgress(Path partitionDir) {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.anyMatch(file -> file.toString().endsWith(".cleaned") || file.toString().endsWith(".swap"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
