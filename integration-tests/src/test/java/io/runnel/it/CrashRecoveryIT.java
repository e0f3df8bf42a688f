package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.ReadBackAssertions;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.BrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A broker process killed with SIGKILL while a producer sends keeps every record it acknowledged: a new
 * broker on the same data directory serves each of them at its acknowledged offset.
 */
class CrashRecoveryIT {

    private static final String TOPIC = "crashed";
    private static final int PARTITIONS = 3;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 20_000;
    private static final String PADDING = "x".repeat(80);

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "acks={0}, idempotence={1}")
    @CsvSource({"1, false", "all, true"})
    void shouldReadBackEveryAcknowledgedRecordAfterKill(String acksConfig, boolean idempotence) {
        Path dataDir = tempDir.resolve("data");
        Acknowledgements acks = new Acknowledgements();
        try (BrokerProcess broker = BrokerProcess.start(dataDir, Map.of())) {
            KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            sendUntilKilledMidStream(broker, acks, Map.of("acks", acksConfig, "enable.idempotence", idempotence));
        }
        assertThat(acks.acknowledgedCount()).isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

        try (BrokerProcess recovered = BrokerProcess.start(dataDir, Map.of())) {
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(recovered.bootstrapServers(), TOPIC);

            ReadBackAssertions.assertOffsetsContiguousFromZero(records);
            ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(records, acks.acknowledged());
        }
    }

    /** Sends without pause; once enough records are acknowledged, kills the broker with batches in flight. */
    private static void sendUntilKilledMidStream(BrokerProcess broker, Acknowledgements acks, Map<String, Object> producerConfig) {
        boolean killed = false;
        KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), producerConfig);
        try {
            for (int i = 0; !killed && broker.isAlive(); i++) {
                String key = "key-" + (i % 100);
                String value = i + "-" + PADDING;
                producer.send(new ProducerRecord<>(TOPIC, key, value), acks.callbackFor(key, value));
                if (acks.acknowledgedCount() >= ACKNOWLEDGED_BEFORE_KILL) {
                    broker.kill();
                    killed = true;
                }
            }
        } finally {
            producer.close(Duration.ZERO);
        }
        assertThat(killed).as("the broker process died before it was killed; its output:%n%s",
                String.join(System.lineSeparator(), broker.output())).isTrue();
    }
}
