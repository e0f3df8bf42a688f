package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.KafkaTools;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.it.support.TopicReader;
import io.runnel.it.support.TransactionApiRequests;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka 4.3.1's {@code kafka-transactions.sh} (its main class, as {@link KafkaToolsIT} runs the
 * other tools) against a broker with {@code runnel.transactions.enable} on: {@code list},
 * {@code describe}, {@code describe-producers}, {@code find-hanging} and {@code abort}; then
 * {@code kafka-dump-log} of the abort's {@code .txnindex}, its marker and {@code __transaction_state}.
 * The expected lines are those Kafka 4.3.1 printed for the same cases.
 */
class KafkaTransactionToolsIT {

    private static final String TRANSACTIONS_COMMAND = "org.apache.kafka.tools.TransactionsCommand";
    private static final String TOPIC = "txn-tools";
    private static final String DUMP_LOG_COMMAND = "org.apache.kafka.tools.DumpLogSegments";
    private static final String FIRST_SEGMENT = "00000000000000000000";
    private static final int TIMEOUT_MS = 600_000;

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private KafkaTools tools;

    @BeforeEach
    void start() {
        tools = new KafkaTools(tempDir, "transactions");
        // Without partition verification, so that a raw transactional produce can leave a hanging
        // transaction for find-hanging and abort (verification exists to prevent exactly that).
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("runnel.transactions.enable", "true",
                "transaction.partition.verification.enable", "false",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldListDescribeFindAndAbortAHangingTransactionThroughKafkasTool() throws Exception {
        String bootstrap = broker.bootstrapServers();
        commitOneRecord("committed-txn");
        try (KafkaProducer<String, String> open = transactionalProducer("open-txn")) {
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(TOPIC, 1, "k", "open")).get();
            long hangingProducerId = writeHangingTransaction("hanging-txn");

            int list = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "list");
            int describe = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "describe", "--transactional-id", "open-txn");
            int describeEmpty = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "describe", "--transactional-id", "hanging-txn");
            int describeCommitted = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "describe", "--transactional-id",
                    "committed-txn");
            int listByPattern = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "list", "--transactional-id-pattern", "o.*");
            int listByDuration = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "list", "--duration-filter", "100000000");
            int producers = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "describe-producers", "--topic", TOPIC,
                    "--partition", "0");
            int producersOfCommittedAndOpen = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "describe-producers",
                    "--topic", TOPIC, "--partition", "1");
            int hanging = findHanging(bootstrap);
            int abort = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "abort", "--topic", TOPIC, "--partition", "0",
                    "--start-offset", "0");
            int producersAfterAbort = tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "describe-producers", "--topic", TOPIC,
                    "--partition", "0");
            int hangingAfterAbort = findHanging(bootstrap);
            Path partitionDir = tempDir.resolve("data").resolve(TOPIC + "-0");
            int dumpIndex = tools.step(DUMP_LOG_COMMAND, "--files", partitionDir.resolve(FIRST_SEGMENT + ".txnindex").toString());
            int dumpLog = tools.step(DUMP_LOG_COMMAND, "--deep-iteration", "--files", partitionDir.resolve(FIRST_SEGMENT + ".log").toString());
            int dumpState = tools.step(DUMP_LOG_COMMAND, "--transaction-log-decoder", "--files", transactionStateSegments());

            KafkaTools.Output output = tools.run().assertEveryStepSucceeded();

            assertThat(output.of(list).stream().map(KafkaTransactionToolsIT::cells))
                    .contains(List.of("TransactionalId", "Coordinator", "ProducerId", "TransactionState"))
                    .anySatisfy(row -> assertThat(row).containsExactly("committed-txn", "1", row.get(2), "CompleteCommit"))
                    .anySatisfy(row -> assertThat(row).containsExactly("open-txn", "1", row.get(2), "Ongoing"))
                    .anySatisfy(row -> assertThat(row).containsExactly("hanging-txn", "1", Long.toString(hangingProducerId), "Empty"))
                    .hasSize(4);
            assertThat(cells(output.of(describe).get(0))).containsExactly("CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch",
                    "TransactionState", "TransactionTimeoutMs", "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions");
            List<String> described = cells(output.of(describe).get(1));
            assertThat(described).containsExactly("1", "open-txn", described.get(2), "0", "Ongoing", Integer.toString(TIMEOUT_MS),
                    described.get(6), described.get(7), TOPIC + "-1");
            // Kafka: an id only initialized has no start time (-1), so it is listed as running for longer than any duration.
            assertThat(cells(output.of(describeEmpty).get(1))).containsExactly("1", "hanging-txn", Long.toString(hangingProducerId), "0", "Empty",
                    "60000", "None", "None");
            List<String> committed = cells(output.of(describeCommitted).get(1));
            assertThat(committed).containsExactly("1", "committed-txn", committed.get(2), "0", "CompleteCommit", Integer.toString(TIMEOUT_MS),
                    committed.get(6), committed.get(7));
            assertThat(output.of(listByPattern)).hasSize(2).last().asString().startsWith("open-txn");
            assertThat(output.of(listByDuration)).hasSize(2).last().asString().startsWith("hanging-txn");
            assertThat(output.of(producers).stream().map(KafkaTransactionToolsIT::cells)).containsExactly(
                    List.of("ProducerId", "ProducerEpoch", "LatestCoordinatorEpoch", "LastSequence", "LastTimestamp", "CurrentTransactionStartOffset"),
                    List.of(Long.toString(hangingProducerId), "0", "-1", "0", timestampIn(output.of(producers)), "0"));
            // Partition 1: committed-txn's record and marker (coordinator epoch 0), then open-txn's record at offset 2, as Kafka
            // shows a producer whose EndTxn does not bump its epoch (transaction version 0).
            assertThat(output.of(producersOfCommittedAndOpen).stream().skip(1).map(KafkaTransactionToolsIT::cells))
                    .anySatisfy(row -> assertThat(row).containsExactly(row.get(0), "0", "0", "0", row.get(4), "None"))
                    .anySatisfy(row -> assertThat(row).containsExactly(row.get(0), "0", "-1", "0", row.get(4), "2"))
                    .hasSize(2);
            assertThat(output.of(hanging).stream().map(KafkaTransactionToolsIT::cells)).containsExactly(
                    List.of("Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch", "StartOffset", "LastTimestamp", "Duration(min)"),
                    List.of(TOPIC, "0", Long.toString(hangingProducerId), "0", "-1", "0", timestampIn(output.of(producers)), "0"));
            assertThat(output.of(abort)).isEmpty();
            // The marker the tool wrote carried coordinator epoch 0 (DescribeProducers said none) and is the producer's last write.
            List<String> aborted = cells(output.of(producersAfterAbort).get(1));
            assertThat(aborted).containsExactly(Long.toString(hangingProducerId), "0", "0", "0", aborted.get(4), "None");
            assertThat(output.of(hangingAfterAbort)).hasSize(1);
            // As Kafka dumps its own: the abort, its marker, and the id's record in __transaction_state.
            assertThat(output.of(dumpIndex)).contains("version: 0 producerId: " + hangingProducerId
                    + " firstOffset: 0 lastOffset: 2 lastStableOffset: 3");
            assertThat(output.of(dumpLog)).anySatisfy(line -> assertThat(line).startsWith("| offset: 2 CreateTime: ")
                    .endsWith("keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: ABORT coordinatorEpoch: 0"));
            assertThat(output.of(dumpState)).anySatisfy(line -> assertThat(line)
                    .contains("key: {\"type\":\"0\",\"data\":{\"transactionalId\":\"hanging-txn\"}} payload: {\"version\":\"1\",\"data\":{"
                            + "\"producerId\":" + hangingProducerId + ",\"previousProducerId\":" + hangingProducerId
                            + ",\"producerEpoch\":0,\"transactionTimeoutMs\":60000,"
                            + "\"transactionStatus\":0,\"transactionPartitions\":null,"));
            assertThat(TopicReader.readAll(bootstrap, TOPIC, Map.of("isolation.level", "read_committed")))
                    .filteredOn(record -> record.partition() == 0).extracting(ConsumerRecord::value).containsExactly("after-hanging");
        }
    }

    /** The first segment of each {@code __transaction_state} partition, comma-separated as kafka-dump-log takes them. */
    private String transactionStateSegments() {
        return IntStream.range(0, 3).mapToObj(partition -> tempDir.resolve("data").resolve("__transaction_state-" + partition)
                .resolve(FIRST_SEGMENT + ".log").toString()).collect(Collectors.joining(","));
    }

    /** find-hanging on broker 1, with every open transaction old enough to be a candidate. */
    private int findHanging(String bootstrap) {
        return tools.step(TRANSACTIONS_COMMAND, "--bootstrap-server", bootstrap, "find-hanging", "--broker-id", "1",
                "--max-transaction-timeout", "0");
    }

    private void commitOneRecord(String transactionalId) throws Exception {
        try (KafkaProducer<String, String> producer = transactionalProducer(transactionalId)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 1, "k", "committed")).get();
            producer.commitTransaction();
        }
    }

    /**
     * Initializes {@code transactionalId}, then writes a transactional batch at offset 0 of partition 0
     * without adding the partition to its transaction (no verification), so its coordinator will never
     * end it, and a plain record after it that read_committed readers cannot see until it is aborted.
     */
    private long writeHangingTransaction(String transactionalId) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            InitProducerIdResponseData init = new TransactionApiRequests(TOPIC).initialize(connection, transactionalId);
            ProducerIdAndEpoch producer = new ProducerIdAndEpoch(init.producerId(), init.producerEpoch());
            assertThat(RawRequests.produce(connection, transactionalId, TOPIC, 0, RawRequests.transactionalBatchOf(producer, 0, "hanging"))
                    .errorCode()).isZero();
            assertThat(RawRequests.produce(connection, TOPIC, 0, RawRequests.batchOf("after-hanging")).errorCode()).isZero();
            return producer.producerId();
        }
    }

    private KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        return KafkaClients.producer(broker.bootstrapServers(), Map.of("transactional.id", transactionalId,
                "transaction.timeout.ms", TIMEOUT_MS));
    }

    /** The LastTimestamp column of the only producer row under the header. */
    private static String timestampIn(List<String> describeProducers) {
        return cells(describeProducers.get(1)).get(4);
    }

    /** The cells of a row of the tools' tables (tab-separated, padded with spaces). */
    private static List<String> cells(String line) {
        return List.of(line.strip().split("\\s+"));
    }
}
