package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic written by a transactional producer that commits and aborts in turn: once the
 * cleaner ran, each key keeps its last committed value (an aborted value never shadows it), the
 * aborted records are gone for readers of both isolation levels, and readers see no marker.
 */
class TxnCompactionIT {

    private static final String TOPIC = "txn-compacted";
    private static final String SENTINEL = "sentinel";
    private static final int KEYS = 10;
    private static final int ROUNDS = 20;

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir, Map.of("log.cleaner.backoff.ms", "100", "log.retention.check.interval.ms", "100",
                "log.cleaner.dedupe.buffer.size", "4194304", "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldKeepTheLastCommittedValueOfEachKeyAndDropAbortedRecords() throws Exception {
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact", "segment.ms", "500",
                    "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "1000")))).all().get();
        }
        Map<String, Object> config = new HashMap<>();
        config.put("transactional.id", "compacting");
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), config)) {
            producer.initTransactions();
            for (int round = 0; round < ROUNDS; round++) {
                write(producer, "committed-" + round, true);
                write(producer, "aborted-" + round, false);
            }
        }

        // Plain writes roll the segment on time (segment.ms), so the transactional ones all get cleaned.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            try (KafkaProducer<String, String> plain = KafkaClients.producer(broker.bootstrapServers())) {
                plain.send(new ProducerRecord<>(TOPIC, SENTINEL, "tick")).get();
            }
            for (String isolation : List.of("read_committed", "read_uncommitted")) {
                List<ConsumerRecord<String, String>> read = TopicReader.readAll(broker.bootstrapServers(), TOPIC,
                        Map.of("isolation.level", isolation)).stream().filter(record -> !SENTINEL.equals(record.key())).toList();
                assertThat(read).as(isolation).extracting(ConsumerRecord::value).containsOnly("committed-" + (ROUNDS - 1));
                assertThat(read).as(isolation).extracting(ConsumerRecord::key)
                        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, KEYS).mapToObj(key -> "k" + key).toList());
            }
        });
    }

    private static void write(KafkaProducer<String, String> producer, String value, boolean commit) {
        producer.beginTransaction();
        for (int key = 0; key < KEYS; key++) {
            producer.send(new ProducerRecord<>(TOPIC, "k" + key, value));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }
}
