package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.CrashableBroker;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process killed with SIGKILL in the middle of transactions (issue 12, piece 8): after the restart
 * an open transaction stays invisible to read_committed readers and is aborted when its transactional id
 * comes back, a commit the client was told about completes from what {@code __transaction_state} holds,
 * and aborted records stay hidden when the log was rolled across them and recovered. Runs against Apache
 * Kafka too ({@link CrashableBroker}).
 */
class TxnCrashIT {

    private static final Map<String, String> BROKER_CONFIG = Map.of("runnel.transactions.enable", "true",
            "transaction.state.log.num.partitions", "1", "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1", "offsets.topic.num.partitions", "1");
    private static final Map<String, Object> READ_COMMITTED = Map.of("isolation.level", "read_committed");
    private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;
    /** Values of 1 KiB, so that a transaction of a few thousand records spans several 1 MiB segments. */
    private static final String PADDING = "x".repeat(1024);
    private static final int SEGMENT_BYTES = 1024 * 1024;
    /** Records each producer sends before the other takes its turn on the shared partition. */
    private static final int CHUNK = 64;

    @TempDir
    Path tempDir;

    @Test
    void shouldAbortTheTransactionOpenAtTheKillWhenItsIdComesBack() {
        Path dataDir = tempDir.resolve("data");
        String topic = "open-at-kill";
        try (CrashableBroker broker = CrashableBroker.start(dataDir, BROKER_CONFIG)) {
            KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
            KafkaProducer<String, String> producer = transactional(broker, topic);
            try {
                producer.initTransactions();
                commit(producer, topic, "committed-");
                producer.beginTransaction();
                sendToEveryPartition(producer, topic, "open-");
                producer.flush();
                broker.kill();
            } finally {
                producer.close(Duration.ZERO);
            }
        }

        try (CrashableBroker restarted = CrashableBroker.start(dataDir, BROKER_CONFIG)) {
            assertThat(values(TopicReader.readAll(restarted.bootstrapServers(), topic, READ_COMMITTED)))
                    .containsExactlyInAnyOrderElementsOf(everyPartition("committed-"));
            assertThat(values(TopicReader.readAll(restarted.bootstrapServers(), topic)))
                    .as("the open transaction's records were written before the kill")
                    .containsAll(everyPartition("open-"));

            try (KafkaProducer<String, String> producer = transactional(restarted, topic)) {
                // Fences the open transaction: the coordinator aborts it before it answers.
                producer.initTransactions();
                assertThat(lastStableOffsets(restarted, topic)).as("last stable offsets once the open transaction is aborted")
                        .isEqualTo(TopicReader.endOffsets(restarted.bootstrapServers(), topic));
                commit(producer, topic, "after-restart-");
            }
            assertThat(values(TopicReader.readAll(restarted.bootstrapServers(), topic, READ_COMMITTED)))
                    .containsExactlyInAnyOrderElementsOf(concat(everyPartition("committed-"), everyPartition("after-restart-")));
        }
    }

    @Test
    void shouldCompleteAnAcknowledgedCommitAfterTheBrokerIsKilledRightAfterIt() {
        Path dataDir = tempDir.resolve("data");
        String topic = "killed-after-commit";
        List<String> acknowledged = new ArrayList<>();
        try (CrashableBroker broker = CrashableBroker.start(dataDir, BROKER_CONFIG)) {
            KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
            KafkaProducer<String, String> producer = transactional(broker, topic);
            try {
                producer.initTransactions();
                for (int transaction = 0; transaction < 5; transaction++) {
                    commit(producer, topic, "t" + transaction + "-");
                    acknowledged.addAll(everyPartition("t" + transaction + "-"));
                }
                // The last commit's markers may or may not be written: the kill follows EndTxn's answer at once.
                broker.kill();
            } finally {
                producer.close(Duration.ZERO);
            }
        }

        try (CrashableBroker restarted = CrashableBroker.start(dataDir, BROKER_CONFIG)) {
            await().atMost(COMPLETION_TIMEOUT).untilAsserted(() -> assertThat(
                    values(TopicReader.readAll(restarted.bootstrapServers(), topic, READ_COMMITTED)))
                    .containsExactlyInAnyOrderElementsOf(acknowledged));
            assertThat(lastStableOffsets(restarted, topic)).isEqualTo(TopicReader.endOffsets(restarted.bootstrapServers(), topic));
            try (KafkaProducer<String, String> producer = transactional(restarted, topic)) {
                producer.initTransactions();
                commit(producer, topic, "after-restart-");
            }
            assertThat(values(TopicReader.readAll(restarted.bootstrapServers(), topic, READ_COMMITTED)))
                    .containsExactlyInAnyOrderElementsOf(concat(acknowledged, everyPartition("after-restart-")));
        }
    }

    @Test
    void shouldKeepAnAbortedTransactionSpanningSegmentsHiddenAfterRecoveryAndMoreRolls() throws IOException {
        Path dataDir = tempDir.resolve("data");
        String topic = "aborted-across-segments";
        Map<String, String> config = new HashMap<>(BROKER_CONFIG);
        config.put("log.segment.bytes", Integer.toString(SEGMENT_BYTES));
        List<String> committed = new ArrayList<>();
        try (CrashableBroker broker = CrashableBroker.start(dataDir, config)) {
            KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
            KafkaProducer<String, String> aborting = transactional(broker, topic + "-aborting");
            try (KafkaProducer<String, String> committing = transactional(broker, topic + "-committing")) {
                aborting.initTransactions();
                committing.initTransactions();
                committed.addAll(interleave(aborting, committing, topic, "first-"));
                committed.addAll(interleave(aborting, committing, topic, "second-"));
                broker.kill();
            } finally {
                aborting.close(Duration.ZERO);
            }
        }
        assertThat(segmentCount(dataDir, topic)).as("segments of %s", topic).isGreaterThanOrEqualTo(4);

        try (CrashableBroker restarted = CrashableBroker.start(dataDir, config)) {
            assertThat(values(TopicReader.readAll(restarted.bootstrapServers(), topic, READ_COMMITTED))).containsExactlyElementsOf(committed);
            try (KafkaProducer<String, String> aborting = transactional(restarted, topic + "-aborting");
                 KafkaProducer<String, String> committing = transactional(restarted, topic + "-committing")) {
                aborting.initTransactions();
                committing.initTransactions();
                committed.addAll(interleave(aborting, committing, topic, "third-"));
            }
            assertThat(values(TopicReader.readAll(restarted.bootstrapServers(), topic, READ_COMMITTED))).containsExactlyElementsOf(committed);
        }
        assertThat(segmentCount(dataDir, topic)).isGreaterThanOrEqualTo(6);

        try (CrashableBroker restartedCleanly = CrashableBroker.start(dataDir, config)) {
            assertThat(values(TopicReader.readAll(restartedCleanly.bootstrapServers(), topic, READ_COMMITTED))).containsExactlyElementsOf(committed);
        }
    }

    /**
     * Two transactions at once on one partition, their records alternating in chunks, the first aborted and
     * the second committed, the aborted one about two segments long: only the aborted-transaction index tells
     * a reader which records below the last stable offset to drop.
     *
     * @return the committed values in offset order
     */
    private static List<String> interleave(KafkaProducer<String, String> aborting, KafkaProducer<String, String> committing, String topic,
                                           String prefix) {
        int chunks = 2 * SEGMENT_BYTES / PADDING.length() / CHUNK;
        List<String> committed = new ArrayList<>();
        aborting.beginTransaction();
        committing.beginTransaction();
        for (int chunk = 0; chunk < chunks; chunk++) {
            for (int i = 0; i < CHUNK; i++) {
                aborting.send(new ProducerRecord<>(topic, 0, "k", prefix + "aborted-" + chunk + "-" + i + "-" + PADDING));
            }
            aborting.flush();
            for (int i = 0; i < CHUNK; i++) {
                String value = prefix + "committed-" + chunk + "-" + i;
                committing.send(new ProducerRecord<>(topic, 0, "k", value));
                committed.add(value);
            }
            committing.flush();
        }
        aborting.abortTransaction();
        committing.commitTransaction();
        return committed;
    }

    private static long segmentCount(Path dataDir, String topic) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve(topic + "-0"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).count();
        }
    }

    private static KafkaProducer<String, String> transactional(CrashableBroker broker, String transactionalId) {
        return KafkaClients.producer(broker.bootstrapServers(), Map.of("transactional.id", transactionalId, "max.block.ms", "60000"));
    }

    private static void commit(KafkaProducer<String, String> producer, String topic, String prefix) {
        producer.beginTransaction();
        sendToEveryPartition(producer, topic, prefix);
        producer.commitTransaction();
    }

    private static void sendToEveryPartition(KafkaProducer<String, String> producer, String topic, String prefix) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            producer.send(new ProducerRecord<>(topic, partition, "k", prefix + partition));
        }
    }

    private static List<String> everyPartition(String prefix) {
        List<String> values = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            values.add(prefix + partition);
        }
        return values;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static Map<TopicPartition, Long> lastStableOffsets(CrashableBroker broker, String topic) {
        return TopicReader.endOffsets(broker.bootstrapServers(), topic, READ_COMMITTED);
    }
}
