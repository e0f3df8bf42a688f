package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions as partitions see them (piece 5), with {@code runnel.transactions.enable} on and
 * no coordinator involved: transactional batches are produced with raw Produce requests and closed with
 * raw WriteTxnMarkers, as a coordinator would, then read by real consumers of both isolation levels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadCommittedIT {

    private static final Map<String, Object> READ_COMMITTED = Map.of("isolation.level", "read_committed");
    private static final int COORDINATOR_EPOCH = 0;

    @TempDir
    static Path dataDir;

    private EmbeddedBroker broker;

    @BeforeAll
    void startBroker() {
        broker = EmbeddedBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                // Raw transactional batches stand in for a coordinator here; verification would refuse them.
                "transaction.partition.verification.enable", "false"));
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldShowCommittedRecordsToBothLevelsAndAbortedOnesOnlyToReadUncommitted() {
        String topic = "committed-and-aborted";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            writeTransaction(connection, topic, true, "committed-1", "committed-2");
            writeTransaction(connection, topic, false, "aborted-1");
            writeTransaction(connection, topic, true, "committed-3");
        }

        assertThat(values(TopicReader.readAll(broker.bootstrapServers(), topic)))
                .containsExactly("committed-1", "committed-2", "aborted-1", "committed-3");
        assertThat(values(TopicReader.readAll(broker.bootstrapServers(), topic, READ_COMMITTED)))
                .containsExactly("committed-1", "committed-2", "committed-3");
    }

    @Test
    void shouldHoldReadCommittedReadersAtAnOpenTransactionAndWakeAWaitingFetchWhenItCommits() throws Exception {
        String topic = "open-transaction";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers());
             RawKafkaConnection waiting = RawKafkaConnection.open(broker.bootstrapServers())) {
            assertThat(RawRequests.produce(connection, topic, 0, RawRequests.batchOf("before")).errorCode()).isZero();
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            assertThat(RawRequests.produce(connection, "open", topic, 0, RawRequests.transactionalBatchOf(producer, 0, "open-1")).errorCode())
                    .isZero();
            assertThat(RawRequests.produce(connection, topic, 0, RawRequests.batchOf("after")).errorCode()).isZero();

            assertThat(values(TopicReader.readAll(broker.bootstrapServers(), topic, READ_COMMITTED))).containsExactly("before");
            assertThat(latestOffset(partition, IsolationLevel.READ_COMMITTED)).isEqualTo(1);
            assertThat(latestOffset(partition, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(3);

            long sent = System.nanoTime();
            int correlationId = waiting.send(ApiKeys.FETCH, RawRequests.FETCH_VERSION, readCommittedFetch(topic, 1, 60_000));
            assertThat(RawRequests.writeTxnMarker(connection, producer, COORDINATOR_EPOCH, true, topic, 0)).isEqualTo(Errors.NONE);
            FetchResponseData.PartitionData woken = ((FetchResponseData) waiting.receive(ApiKeys.FETCH, RawRequests.FETCH_VERSION, correlationId))
                    .responses().get(0).partitions().get(0);

            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(30));
            assertThat(woken.records().sizeInBytes()).isPositive();
            assertThat(woken.lastStableOffset()).isEqualTo(4);
            assertThat(woken.abortedTransactions()).isEmpty();
        }
        assertThat(values(TopicReader.readAll(broker.bootstrapServers(), topic, READ_COMMITTED))).containsExactly("before", "open-1", "after");
        assertThat(latestOffset(partition, IsolationLevel.READ_COMMITTED)).isEqualTo(4);
    }

    @Test
    void shouldAnswerTimestampLookupsAtOrPastTheLastStableOffsetWithNoOffsetUnderReadCommitted() throws Exception {
        String topic = "open-first";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            assertThat(RawRequests.produce(connection, "open-first", topic, 0, RawRequests.transactionalBatchOf(producer, 0, "open")).errorCode())
                    .isZero();

            assertThat(offsetForTimestamp(admin, partition, IsolationLevel.READ_UNCOMMITTED)).isZero();
            assertThat(offsetForTimestamp(admin, partition, IsolationLevel.READ_COMMITTED)).isEqualTo(-1);
        }
    }

    @Test
    void shouldKeepAbortedRecordsHiddenAfterARestart() {
        String topic = "aborted-restart";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            writeTransaction(connection, topic, false, "aborted");
            writeTransaction(connection, topic, true, "committed");
        }

        broker.restart();

        assertThat(values(TopicReader.readAll(broker.bootstrapServers(), topic, READ_COMMITTED))).containsExactly("committed");
        assertThat(values(TopicReader.readAll(broker.bootstrapServers(), topic))).containsExactly("aborted", "committed");
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionForAMarkerToAPartitionItDoesNotHave() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            assertThat(RawRequests.writeTxnMarker(connection, producer, COORDINATOR_EPOCH, true, "no-such-topic", 0))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
    }

    @Test
    void shouldFenceAMarkerFromAnOlderCoordinatorEpoch() {
        String topic = "stale-coordinator";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            assertThat(RawRequests.produce(connection, "stale-coordinator", topic, 0, RawRequests.transactionalBatchOf(producer, 0, "a"))
                    .errorCode()).isZero();
            assertThat(RawRequests.writeTxnMarker(connection, producer, 5, true, topic, 0)).isEqualTo(Errors.NONE);
            assertThat(RawRequests.produce(connection, "stale-coordinator", topic, 0, RawRequests.transactionalBatchOf(producer, 1, "b"))
                    .errorCode()).isZero();

            assertThat(RawRequests.writeTxnMarker(connection, producer, 4, false, topic, 0)).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        }
    }

    @Test
    void shouldDescribeTheCoordinatorEpochAndOpenTransactionOfAProducer() throws Exception {
        String topic = "described";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            assertThat(RawRequests.produce(connection, "described", topic, 0, RawRequests.transactionalBatchOf(producer, 0, "a")).errorCode())
                    .isZero();
            assertThat(RawRequests.writeTxnMarker(connection, producer, 7, true, topic, 0)).isEqualTo(Errors.NONE);
            assertThat(RawRequests.produce(connection, "described", topic, 0, RawRequests.transactionalBatchOf(producer, 1, "b")).errorCode())
                    .isZero();

            ProducerState described = admin.describeProducers(List.of(partition)).partitionResult(partition).get().activeProducers().get(0);

            assertThat(described.producerId()).isEqualTo(producer.producerId());
            assertThat(described.coordinatorEpoch()).hasValue(7);
            assertThat(described.currentTransactionStartOffset()).hasValue(2);
        }
    }

    @Test
    void shouldRefuseAMarkerWithAnOlderProducerEpoch() {
        String topic = "stale-producer";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            ProducerIdAndEpoch bumped = new ProducerIdAndEpoch(producer.producerId(), (short) (producer.epoch() + 1));
            assertThat(RawRequests.produce(connection, "stale-producer", topic, 0, RawRequests.transactionalBatchOf(bumped, 0, "a")).errorCode())
                    .isZero();

            assertThat(RawRequests.writeTxnMarker(connection, producer, COORDINATOR_EPOCH, true, topic, 0)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        }
    }

    /** One transaction of a fresh producer on partition 0 of {@code topic}: its batch, then its marker. */
    private static void writeTransaction(RawKafkaConnection connection, String topic, boolean commit, String... values) {
        ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
        String transactionalId = topic + "-" + producer.producerId();
        assertThat(RawRequests.produce(connection, transactionalId, topic, 0, RawRequests.transactionalBatchOf(producer, 0, values)).errorCode())
                .isZero();
        assertThat(RawRequests.writeTxnMarker(connection, producer, COORDINATOR_EPOCH, commit, topic, 0)).isEqualTo(Errors.NONE);
    }

    private long latestOffset(TopicPartition partition, IsolationLevel isolation) throws Exception {
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(partition).get()
                    .offset();
        }
    }

    private static long offsetForTimestamp(Admin admin, TopicPartition partition, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.forTimestamp(0)), new ListOffsetsOptions(isolation)).partitionResult(partition).get()
                .offset();
    }

    private static FetchRequestData readCommittedFetch(String topic, long offset, int maxWaitMs) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20).setIsolationLevel((byte) 1)
                .setSessionId(0).setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(new FetchRequestData.FetchPartition()
                        .setPartition(0).setFetchOffset(offset).setLogStartOffset(-1).setPartitionMaxBytes(1 << 20)))));
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
