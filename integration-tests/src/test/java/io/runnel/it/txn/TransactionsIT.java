package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions through the Java client on one broker: commits and aborts as read_committed and
 * read_uncommitted readers see them, empty transactions, an open transaction holding readers back,
 * fencing by a second producer, the coordinator aborting a transaction that timed out, and many
 * transactions back to back. Each case also passes against Apache Kafka 4.3.1 ({@link TargetBroker}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsIT {

    @TempDir
    static Path dataDir;

    private TargetBroker broker;
    private String bootstrap;

    @BeforeAll
    void startBroker() {
        // The reference Kafka broker of a differential run is configured the same way.
        broker = TargetBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "200"));
        bootstrap = broker.bootstrapServers();
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldShowCommittedRecordsAndHideAbortedOnesFromReadCommittedReaders() {
        String topic = topic("commit-abort-commit", 2);
        try (KafkaProducer<String, String> producer = transactional("commit-abort-commit")) {
            producer.initTransactions();
            inTransaction(producer, topic, List.of("a1", "a2"), true);
            inTransaction(producer, topic, List.of("b1", "b2"), false);
            inTransaction(producer, topic, List.of("c1"), true);
        }

        assertThat(values(readAll(topic, 2, "read_committed"))).containsExactlyInAnyOrder("a1", "a2", "c1");
        assertThat(values(readAll(topic, 2, "read_uncommitted"))).containsExactlyInAnyOrder("a1", "a2", "b1", "b2", "c1");
    }

    @Test
    void shouldHoldReadCommittedReadersAtTheFirstOffsetOfAnOpenTransaction() throws Exception {
        String topic = topic("open-holds-readers", 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> transactional = transactional("open-holds-readers");
             KafkaProducer<String, String> plain = KafkaClients.producer(bootstrap)) {
            transactional.initTransactions();
            plain.send(new ProducerRecord<>(topic, "k", "before")).get();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, "k", "open")).get();
            plain.send(new ProducerRecord<>(topic, "k", "after")).get();

            assertThat(endOffset(partition, "read_uncommitted")).isEqualTo(3);
            assertThat(endOffset(partition, "read_committed")).isEqualTo(1);
            assertThat(values(readAll(topic, 1, "read_committed"))).containsExactly("before");

            transactional.commitTransaction();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> endOffset(partition, "read_committed") == 4);
        assertThat(values(readAll(topic, 1, "read_committed"))).containsExactly("before", "open", "after");
    }

    @Test
    void shouldCommitAndAbortEmptyTransactions() {
        String topic = topic("empty", 1);
        try (KafkaProducer<String, String> producer = transactional("empty")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.commitTransaction();
            producer.beginTransaction();
            producer.abortTransaction();
            inTransaction(producer, topic, List.of("after-empty"), true);
        }
        assertThat(values(readAll(topic, 1, "read_committed"))).containsExactly("after-empty");
    }

    @Test
    void shouldFenceTheFirstProducerAndAbortItsOpenTransactionWhenASecondOneStarts() throws Exception {
        String topic = topic("fenced", 1);
        try (KafkaProducer<String, String> first = transactional("fenced")) {
            first.initTransactions();
            first.beginTransaction();
            first.send(new ProducerRecord<>(topic, "k", "from-first")).get();

            try (KafkaProducer<String, String> second = transactional("fenced")) {
                second.initTransactions();
                Throwable sendFailure = catchThrowable(() -> first.send(new ProducerRecord<>(topic, "k", "late")).get());
                Throwable commitFailure = catchThrowable(first::commitTransaction);
                // As Kafka 4.3.1 answers: the send is refused for its stale epoch, and the commit reports it.
                assertThat(sendFailure).hasCauseInstanceOf(InvalidProducerEpochException.class);
                assertThat(commitFailure).isInstanceOf(InvalidProducerEpochException.class);
                inTransaction(second, topic, List.of("from-second"), true);
            }
        }
        assertThat(values(readAll(topic, 1, "read_committed"))).containsExactly("from-second");
    }

    @Test
    void shouldAbortATransactionThatOutlivesItsTimeout() throws Exception {
        String topic = topic("timed-out", 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = transactional("timed-out", Map.of("transaction.timeout.ms", "1000"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "never-visible")).get();

            // The coordinator aborts it: the abort marker lands and the last stable offset passes it.
            await().atMost(Duration.ofSeconds(30)).until(() -> endOffset(partition, "read_committed") == 2);
            Throwable commitFailure = catchThrowable(producer::commitTransaction);
            // Kafka 4.3.1 answers INVALID_TXN_STATE under the second protocol (the abort bumped the
            // epoch the commit retries with) and PRODUCER_FENCED under the first (a stale epoch).
            assertThat(commitFailure).isInstanceOfAny(InvalidTxnStateException.class, ProducerFencedException.class);
        }
        try (KafkaProducer<String, String> plain = KafkaClients.producer(bootstrap)) {
            plain.send(new ProducerRecord<>(topic, "k", "later")).get();
        }
        assertThat(values(readAll(topic, 1, "read_committed"))).containsExactly("later");
    }

    @Test
    void shouldKeepOrderAndSkipNothingOverAThousandTransactionsBackToBack() {
        String topic = topic("back-to-back", 1);
        try (KafkaProducer<String, String> producer = transactional("back-to-back")) {
            producer.initTransactions();
            for (int txn = 0; txn < 1_000; txn++) {
                inTransaction(producer, topic, List.of(txn + "-a", txn + "-b"), txn % 10 != 9);
            }
        }
        List<String> expected = IntStream.range(0, 1_000).filter(txn -> txn % 10 != 9)
                .boxed().flatMap(txn -> List.of(txn + "-a", txn + "-b").stream()).toList();
        assertThat(values(readAll(topic, 1, "read_committed"))).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldBumpTheProducerEpochWithEveryTransactionUnderTheSecondProtocol() throws Exception {
        String topic = topic("epoch-per-transaction", 1);
        String transactionalId = TargetBroker.unique("epoch-per-transaction");
        try (KafkaProducer<String, String> producer = transactional("epoch-per-transaction");
             Admin admin = KafkaClients.admin(bootstrap)) {
            producer.initTransactions();
            inTransaction(producer, topic, List.of("first"), true);
            int afterFirst = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get().producerEpoch();
            inTransaction(producer, topic, List.of("second"), true);
            inTransaction(producer, topic, List.of("third"), false);
            int afterThird = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get().producerEpoch();

            // transaction.version 2 is finalized, so the Java client ends each transaction with EndTxn v5,
            // which bumps the epoch (KIP-890 part 2); under the first protocol it would stay put.
            assertThat(afterThird).isEqualTo(afterFirst + 2);
        }
        assertThat(values(readAll(topic, 1, "read_committed"))).containsExactly("first", "second");
    }

    private String topic(String name, int partitions) {
        String topic = TargetBroker.unique("txn-" + name);
        KafkaClients.createTopic(bootstrap, topic, partitions);
        return topic;
    }

    private KafkaProducer<String, String> transactional(String transactionalId) {
        return transactional(transactionalId, Map.of());
    }

    private KafkaProducer<String, String> transactional(String transactionalId, Map<String, Object> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(overrides);
        config.put("transactional.id", TargetBroker.unique(transactionalId));
        config.put("max.block.ms", "30000");
        return KafkaClients.producer(bootstrap, config);
    }

    private static void inTransaction(KafkaProducer<String, String> producer, String topic, List<String> values, boolean commit) {
        producer.beginTransaction();
        values.forEach(value -> producer.send(new ProducerRecord<>(topic, value, value)));
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    private long endOffset(TopicPartition partition, String isolation) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, Map.of("isolation.level", isolation))) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** Every record below the end offset of {@code isolation}, partition by partition. */
    private List<ConsumerRecord<String, String>> readAll(String topic, int partitions, String isolation) {
        List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, Map.of("isolation.level", isolation))) {
            consumer.assign(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return assigned.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return records;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
