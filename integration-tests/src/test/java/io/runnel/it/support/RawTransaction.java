package io.runnel.it.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * One transactional id driven by raw coordinator requests over a {@link RawKafkaConnection}, at the
 * versions a case names: the exact answer of each request is returned, so a differential test can pin
 * it. Only the answers that say the coordinator is not ready yet (loading, not found) are retried;
 * CONCURRENT_TRANSACTIONS is returned unless a method says it waits it out.
 */
public final class RawTransaction {

    private static final Set<Errors> NOT_READY = Set.of(Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.COORDINATOR_NOT_AVAILABLE,
            Errors.NOT_COORDINATOR);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final RawKafkaConnection connection;
    private final String transactionalId;

    private RawTransaction(RawKafkaConnection connection, String transactionalId) {
        this.connection = connection;
        this.transactionalId = transactionalId;
    }

    /** {@code transactionalId} over {@code connection}, once its coordinator is found (which creates its topic). */
    public static RawTransaction of(RawKafkaConnection connection, String transactionalId) {
        RawTransaction transaction = new RawTransaction(connection, transactionalId);
        transaction.untilReady(() -> connection.<FindCoordinatorResponseData>call(ApiKeys.FIND_COORDINATOR, (short) 3,
                new FindCoordinatorRequestData().setKey(transactionalId).setKeyType((byte) 1)), FindCoordinatorResponseData::errorCode);
        return transaction;
    }

    public String id() {
        return transactionalId;
    }

    /** InitProducerId v4 with a 60 s timeout and no expected producer id. */
    public InitProducerIdResponseData init() {
        return init((short) 4, 60_000, -1L, (short) -1);
    }

    public InitProducerIdResponseData init(short version, int timeoutMs, long expectedProducerId, short expectedEpoch) {
        InitProducerIdRequestData request = new InitProducerIdRequestData().setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(timeoutMs);
        if (version >= 3) {
            request.setProducerId(expectedProducerId).setProducerEpoch(expectedEpoch);
        }
        return untilReady(() -> connection.call(ApiKeys.INIT_PRODUCER_ID, version, request), InitProducerIdResponseData::errorCode);
    }

    /** InitProducerId v4 sent again while it answers CONCURRENT_TRANSACTIONS, as the Java client does. */
    public InitProducerIdResponseData initWaitingOutConcurrent(long expectedProducerId, short expectedEpoch) {
        return waitingOutConcurrent(() -> init((short) 4, 60_000, expectedProducerId, expectedEpoch), InitProducerIdResponseData::errorCode);
    }

    /** AddPartitionsToTxn in the client form (v0–3): the error per partition of {@code topic}. */
    public AddPartitionsToTxnTopicResultCollection addPartitions(short version, long producerId, short epoch,
                                                                 Map<String, List<Integer>> partitions) {
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(transactionalId)
                .setV3AndBelowProducerId(producerId).setV3AndBelowProducerEpoch(epoch).setV3AndBelowTopics(topics(partitions));
        return untilReady(() -> connection.<AddPartitionsToTxnResponseData>call(ApiKeys.ADD_PARTITIONS_TO_TXN, version, request),
                RawTransaction::firstErrorOf).resultsByTopicV3AndBelow();
    }

    /** Adds partitions of one topic with AddPartitionsToTxn v3 and expects every one of them added. */
    public void add(InitProducerIdResponseData producer, String topic, Integer... partitions) {
        AddPartitionsToTxnTopicResultCollection results = addPartitions((short) 3, producer.producerId(), producer.producerEpoch(),
                Map.of(topic, List.of(partitions)));
        Errors error = Errors.forCode(results.find(topic).resultsByPartition().iterator().next().partitionErrorCode());
        if (error != Errors.NONE) {
            throw new AssertionError("AddPartitionsToTxn of " + topic + " answered " + error);
        }
    }

    /** AddPartitionsToTxn in the broker form (v4–5) for this id alone. */
    public AddPartitionsToTxnResponseData addPartitionsAsBroker(short version, long producerId, short epoch, boolean verifyOnly,
                                                                String topic, Integer... partitions) {
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(transactionalId).setProducerId(producerId)
                .setProducerEpoch(epoch).setVerifyOnly(verifyOnly).setTopics(topics(Map.of(topic, List.of(partitions)))));
        return connection.call(ApiKeys.ADD_PARTITIONS_TO_TXN, version, new AddPartitionsToTxnRequestData().setTransactions(transactions));
    }

    public AddOffsetsToTxnResponseData addOffsets(short version, long producerId, short epoch, String groupId) {
        AddOffsetsToTxnRequestData request = new AddOffsetsToTxnRequestData().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(epoch).setGroupId(groupId);
        return untilReady(() -> connection.call(ApiKeys.ADD_OFFSETS_TO_TXN, version, request), AddOffsetsToTxnResponseData::errorCode);
    }

    public EndTxnResponseData endTxn(short version, long producerId, short epoch, boolean commit) {
        EndTxnRequestData request = new EndTxnRequestData().setTransactionalId(transactionalId).setProducerId(producerId)
                .setProducerEpoch(epoch).setCommitted(commit);
        return untilReady(() -> connection.call(ApiKeys.END_TXN, version, request), EndTxnResponseData::errorCode);
    }

    /** The coordinator's view of this id (DescribeTransactions v0). */
    public TransactionState describe() {
        DescribeTransactionsResponseData response = connection.call(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(transactionalId)));
        return response.transactionStates().get(0);
    }

    /** Waits until the markers of an ended transaction are written and the coordinator holds {@code state}. */
    public TransactionState awaitState(String state) {
        AtomicReference<TransactionState> last = new AtomicReference<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            last.set(describe());
            return state.equals(last.get().transactionState());
        });
        return last.get();
    }

    private <T> T untilReady(Supplier<T> call, ToIntFunction<T> errorCode) {
        return CoordinatorRetries.retrying(call, errorCode, NOT_READY);
    }

    private <T> T waitingOutConcurrent(Supplier<T> call, ToIntFunction<T> errorCode) {
        return CoordinatorRetries.retrying(call, errorCode, Set.of(Errors.CONCURRENT_TRANSACTIONS));
    }

    private static int firstErrorOf(AddPartitionsToTxnResponseData response) {
        return response.resultsByTopicV3AndBelow().iterator().next().resultsByPartition().iterator().next().partitionErrorCode();
    }

    private static AddPartitionsToTxnTopicCollection topics(Map<String, List<Integer>> partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        partitions.forEach((topic, indexes) -> topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(indexes)));
        return topics;
    }
}
