package io.runnel.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * One request per version of each transaction API (served with {@code runnel.transactions.enable}),
 * each on a transactional id of its own, for EveryServedVersionIT: every answer must carry no error.
 */
public final class TransactionApiRequests {

    private static final Set<Errors> RETRIABLE = Set.of(Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.COORDINATOR_NOT_AVAILABLE,
            Errors.NOT_COORDINATOR, Errors.CONCURRENT_TRANSACTIONS);

    private final String topic;

    /** Requests whose transactions write to partition 0 of {@code topic}. */
    public TransactionApiRequests(String topic) {
        this.topic = topic;
    }

    /** Sends {@code key} at {@code version} and checks the answer; false if {@code key} is not a transaction API. */
    public boolean exercise(RawKafkaConnection connection, ApiKeys key, short version) {
        String id = key.name().toLowerCase() + "-v" + version;
        switch (key) {
            case ADD_PARTITIONS_TO_TXN -> addPartitions(connection, id, version);
            case ADD_OFFSETS_TO_TXN -> {
                InitProducerIdResponseData producer = begin(connection, id, false);
                AddOffsetsToTxnResponseData response = connection.call(key, version, new AddOffsetsToTxnRequestData().setTransactionalId(id)
                        .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch()).setGroupId("versions-txn"));
                assertThat(response.errorCode()).isZero();
            }
            case TXN_OFFSET_COMMIT -> txnOffsetCommit(connection, id, version);
            case END_TXN -> {
                InitProducerIdResponseData producer = begin(connection, id, true);
                EndTxnResponseData response = connection.call(key, version, new EndTxnRequestData().setTransactionalId(id)
                        .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch()).setCommitted(version % 2 == 0));
                assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
            }
            case DESCRIBE_TRANSACTIONS -> {
                begin(connection, id, true);
                DescribeTransactionsResponseData response = connection.call(key, version,
                        new DescribeTransactionsRequestData().setTransactionalIds(List.of(id)));
                assertThat(response.transactionStates().get(0).errorCode()).isZero();
                assertThat(response.transactionStates().get(0).transactionState()).isEqualTo("Ongoing");
            }
            case LIST_TRANSACTIONS -> {
                begin(connection, id, true);
                ListTransactionsRequestData request = new ListTransactionsRequestData();
                if (version >= 2) {
                    request.setTransactionalIdPattern(id);
                }
                ListTransactionsResponseData response = connection.call(key, version, request);
                assertThat(response.errorCode()).isZero();
                assertThat(response.transactionStates()).extracting(ListTransactionsResponseData.TransactionState::transactionalId).contains(id);
            }
            case WRITE_TXN_MARKERS -> writeMarker(connection, id, version);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Finds the coordinator of {@code id} (creating its topic) and initializes it without adding a
     * partition: the coordinator holds {@code id} Empty, whatever its producer then writes.
     */
    public InitProducerIdResponseData initialize(RawKafkaConnection connection, String id) {
        return begin(connection, id, false);
    }

    /** AddOffsetsToTxn for a group of its own, then TxnOffsetCommit of partition 0's offset at {@code version}. */
    private void txnOffsetCommit(RawKafkaConnection connection, String id, short version) {
        InitProducerIdResponseData producer = begin(connection, id, false);
        String group = "versions-" + id;
        retrying(() -> connection.<FindCoordinatorResponseData>call(ApiKeys.FIND_COORDINATOR, (short) 3,
                new FindCoordinatorRequestData().setKey(group).setKeyType((byte) 0)).errorCode());
        retrying(() -> connection.<AddOffsetsToTxnResponseData>call(ApiKeys.ADD_OFFSETS_TO_TXN, (short) 3, new AddOffsetsToTxnRequestData()
                .setTransactionalId(id).setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch()).setGroupId(group))
                .errorCode());
        retrying(() -> connection.<TxnOffsetCommitResponseData>call(ApiKeys.TXN_OFFSET_COMMIT, version, new TxnOffsetCommitRequestData()
                .setTransactionalId(id).setGroupId(group).setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                        new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(version))))))
                .topics().get(0).partitions().get(0).errorCode());
    }

    /** A transactional batch of {@code id} on partition 0, closed by a marker sent at {@code version} (v2 with transaction version 0). */
    private void writeMarker(RawKafkaConnection connection, String id, short version) {
        RawRequests.ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
        assertThat(RawRequests.produce(connection, id, topic, 0, RawRequests.transactionalBatchOf(producer, 0, id)).errorCode()).isZero();
        WriteTxnMarkersResponseData response = connection.call(ApiKeys.WRITE_TXN_MARKERS, version, new WriteTxnMarkersRequestData()
                .setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(producer.producerId())
                        .setProducerEpoch(producer.epoch()).setCoordinatorEpoch(0).setTransactionResult(version % 2 == 0)
                        .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic).setPartitionIndexes(List.of(0)))))));
        assertThat(response.markers().get(0).producerId()).isEqualTo(producer.producerId());
        assertThat(Errors.forCode(response.markers().get(0).topics().get(0).partitions().get(0).errorCode())).isEqualTo(Errors.NONE);
    }

    private void addPartitions(RawKafkaConnection connection, String id, short version) {
        InitProducerIdResponseData producer = begin(connection, id, version >= 4);
        if (version < 4) {
            AddPartitionsToTxnResponseData response = connection.call(ApiKeys.ADD_PARTITIONS_TO_TXN, version, new AddPartitionsToTxnRequestData()
                    .setV3AndBelowTransactionalId(id).setV3AndBelowProducerId(producer.producerId())
                    .setV3AndBelowProducerEpoch(producer.producerEpoch()).setV3AndBelowTopics(topics()));
            assertThat(response.resultsByTopicV3AndBelow().find(topic).resultsByPartition())
                    .extracting(AddPartitionsToTxnPartitionResult::partitionErrorCode).containsOnly(Errors.NONE.code());
            return;
        }
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(id).setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch()).setVerifyOnly(true).setTopics(topics()));
        AddPartitionsToTxnResponseData response = connection.call(ApiKeys.ADD_PARTITIONS_TO_TXN, version,
                new AddPartitionsToTxnRequestData().setTransactions(transactions));
        assertThat(response.errorCode()).isZero();
        assertThat(response.resultsByTransaction().find(id).topicResults().find(topic).resultsByPartition())
                .extracting(AddPartitionsToTxnPartitionResult::partitionErrorCode).containsOnly(Errors.NONE.code());
    }

    /** Finds the coordinator (creating its topic), initializes {@code id} and, if {@code ongoing}, adds partition 0 to its transaction. */
    private InitProducerIdResponseData begin(RawKafkaConnection connection, String id, boolean ongoing) {
        retrying(() -> connection.<FindCoordinatorResponseData>call(ApiKeys.FIND_COORDINATOR, (short) 3,
                new FindCoordinatorRequestData().setKey(id).setKeyType((byte) 1)).errorCode());
        AtomicReference<InitProducerIdResponseData> producer = new AtomicReference<>();
        retrying(() -> {
            producer.set(connection.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                    new InitProducerIdRequestData().setTransactionalId(id).setTransactionTimeoutMs(60_000)));
            return producer.get().errorCode();
        });
        if (ongoing) {
            AddPartitionsToTxnResponseData added = connection.call(ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 3, new AddPartitionsToTxnRequestData()
                    .setV3AndBelowTransactionalId(id).setV3AndBelowProducerId(producer.get().producerId())
                    .setV3AndBelowProducerEpoch(producer.get().producerEpoch()).setV3AndBelowTopics(topics()));
            assertThat(added.resultsByTopicV3AndBelow().find(topic).resultsByPartition().find(0).partitionErrorCode()).isZero();
        }
        return producer.get();
    }

    private AddPartitionsToTxnTopicCollection topics() {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(0)));
        return topics;
    }

    /** Calls until the error is not a retriable coordinator one, and checks it is none. */
    private static void retrying(java.util.function.IntSupplier call) {
        AtomicReference<Errors> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.set(Errors.forCode((short) call.getAsInt()));
            return !RETRIABLE.contains(last.get());
        });
        assertThat(last.get()).isEqualTo(Errors.NONE);
    }
}
