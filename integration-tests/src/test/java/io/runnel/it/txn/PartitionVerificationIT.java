package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition verification (KIP-890 part 1): a transactional batch for a partition its transaction never
 * added is refused before it reaches the log, so it cannot leave a hanging transaction that holds
 * read_committed readers back; once the partition is added the same batch is taken. The error depends
 * on the Produce version, as in Kafka: INVALID_TXN_STATE up to v10, TRANSACTION_ABORTABLE from v11.
 * Also passes against Apache Kafka 4.3.1 ({@link TargetBroker}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionVerificationIT {

    @TempDir
    static Path dataDir;

    private TargetBroker broker;
    private String topic;

    @BeforeAll
    void startBroker() {
        broker = TargetBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
        topic = TargetBroker.unique("verified");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldRefuseABatchForAPartitionTheTransactionNeverAdded() {
        String transactionalId = TargetBroker.unique("never-added");
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = initTransactions(connection, transactionalId);

            ProduceResponseData.PartitionProduceResponse v9 = produce(connection, transactionalId, producer, 0, (short) 9);
            assertThat(Errors.forCode(v9.errorCode())).isEqualTo(Errors.INVALID_TXN_STATE);
            ProduceResponseData.PartitionProduceResponse v11 = produce(connection, transactionalId, producer, 0, (short) 11);
            assertThat(Errors.forCode(v11.errorCode())).isEqualTo(Errors.TRANSACTION_ABORTABLE);

            // Nothing reached the log: read_committed readers are not held back.
            assertThat(endOffset("read_uncommitted")).isEqualTo(endOffset("read_committed"));
        }
    }

    @Test
    void shouldTakeTheBatchOnceThePartitionIsInTheTransaction() {
        String transactionalId = TargetBroker.unique("added");
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = initTransactions(connection, transactionalId);
            long before = endOffset("read_uncommitted");
            AddPartitionsToTxnResponseData added = connection.call(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 3, new AddPartitionsToTxnRequestData()
                    .setV3AndBelowTransactionalId(transactionalId).setV3AndBelowProducerId(producer.producerId())
                    .setV3AndBelowProducerEpoch(producer.epoch()).setV3AndBelowTopics(topics()));
            assertThat(added.resultsByTopicV3AndBelow().find(topic).resultsByPartition().find(0).partitionErrorCode()).isZero();

            assertThat(Errors.forCode(produce(connection, transactionalId, producer, 0, (short) 9).errorCode())).isEqualTo(Errors.NONE);
            assertThat(endOffset("read_uncommitted")).isEqualTo(before + 1);
            assertThat(endOffset("read_committed")).isEqualTo(before);

            EndTxnResponseData ended = connection.call(ApiKeys.END_TXN, (short) 3, new EndTxnRequestData().setTransactionalId(transactionalId)
                    .setProducerId(producer.producerId()).setProducerEpoch(producer.epoch()).setCommitted(false));
            assertThat(ended.errorCode()).isZero();
            await().atMost(Duration.ofSeconds(15)).until(() -> endOffset("read_committed") == endOffset("read_uncommitted"));
        }
    }

    private ProducerIdAndEpoch initTransactions(RawKafkaConnection connection, String transactionalId) {
        AtomicReference<InitProducerIdResponseData> answer = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            FindCoordinatorResponseData found = connection.call(ApiKeys.FIND_COORDINATOR, (short) 3,
                    new FindCoordinatorRequestData().setKey(transactionalId).setKeyType((byte) 1));
            if (found.errorCode() != 0) {
                return false;
            }
            answer.set(connection.call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                    .setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000).setProducerId(-1L).setProducerEpoch((short) -1)));
            return answer.get().errorCode() == 0;
        });
        return new ProducerIdAndEpoch(answer.get().producerId(), answer.get().producerEpoch());
    }

    private ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection connection, String transactionalId,
                                                                 ProducerIdAndEpoch producer, int sequence, short version) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                .setIndex(0).setRecords(RawRequests.transactionalBatchOf(producer, sequence, "in-" + transactionalId)))));
        ProduceResponseData response = connection.call(ApiKeys.PRODUCE, version, new ProduceRequestData().setAcks((short) -1)
                .setTimeoutMs(30_000).setTransactionalId(transactionalId).setTopicData(topics));
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    private AddPartitionsToTxnTopicCollection topics() {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(0)));
        return topics;
    }

    private long endOffset(String isolation) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("isolation.level", isolation))) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }
}
