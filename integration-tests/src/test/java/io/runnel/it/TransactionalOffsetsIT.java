package io.runnel.it;

import static io.runnel.it.support.CoordinatorRetries.retrying;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TxnOffsetCommit over raw requests with {@code runnel.transactions.enable} on: the offsets a
 * transaction commits stay pending, so a read_committed consumer's OffsetFetch (require_stable) gets
 * UNSTABLE_OFFSET_COMMIT while any other fetch still sees the offset committed before, also after the
 * broker restarts. Completing the transaction needs the markers of piece 8; until then
 * {@code GroupTransactionCompletionTest} covers it on the broker's own objects.
 */
class TransactionalOffsetsIT {

    private static final String TOPIC = "txn-input";
    private static final String GROUP = "eos-group";
    private static final String TRANSACTIONAL_ID = "eos-producer";

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldKeepATransactionalOffsetPendingForAReadCommittedFetchAcrossARestart() {
        findCoordinator(GROUP, (byte) 0);
        assertThat(commit(0, 5)).isEqualTo(Errors.NONE);
        InitProducerIdResponseData producer = beginTransactionWithOffsets();

        TxnOffsetCommitResponseData committed = retrying(() -> call(ApiKeys.TXN_OFFSET_COMMIT, (short) 3, txnCommit(producer, 0, 10)),
                TransactionalOffsetsIT::firstError);
        assertThat(firstError(committed)).isEqualTo(Errors.NONE.code());

        assertUnstableForReadCommittedOnly();

        broker.restart();

        retrying(() -> fetch((short) 8, false), response -> response.groups().get(0).errorCode());
        assertUnstableForReadCommittedOnly();
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionForAPartitionThatDoesNotExist() {
        findCoordinator(GROUP, (byte) 0);
        InitProducerIdResponseData producer = beginTransactionWithOffsets();
        TxnOffsetCommitRequestData request = txnCommit(producer, 7, 10);

        TxnOffsetCommitResponseData response = call(ApiKeys.TXN_OFFSET_COMMIT, (short) 3, request);

        assertThat(firstError(response)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    /** The fetch forms of OffsetFetch v7 (one group) and v8 (batched), with and without require_stable. */
    private void assertUnstableForReadCommittedOnly() {
        OffsetFetchResponseData.OffsetFetchResponsePartitions stable = fetch((short) 8, true).groups().get(0).topics().get(0).partitions().get(0);
        assertThat(Errors.forCode(stable.errorCode())).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);
        assertThat(stable.committedOffset()).isEqualTo(-1);

        OffsetFetchResponseData single = fetch((short) 7, true);
        assertThat(single.errorCode()).isZero();
        assertThat(Errors.forCode(single.topics().get(0).partitions().get(0).errorCode())).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);

        OffsetFetchResponseData.OffsetFetchResponsePartitions any = fetch((short) 8, false).groups().get(0).topics().get(0).partitions().get(0);
        assertThat(any.errorCode()).isZero();
        assertThat(any.committedOffset()).isEqualTo(5);
    }

    /** InitProducerId for the transactional id, then AddOffsetsToTxn for the group, as the Java producer's sendOffsetsToTransaction. */
    private InitProducerIdResponseData beginTransactionWithOffsets() {
        findCoordinator(TRANSACTIONAL_ID, (byte) 1);
        InitProducerIdResponseData producer = retrying(() -> call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                .setTransactionalId(TRANSACTIONAL_ID).setTransactionTimeoutMs(120_000)), InitProducerIdResponseData::errorCode);
        assertThat(producer.errorCode()).isZero();
        AddOffsetsToTxnResponseData added = retrying(() -> call(ApiKeys.ADD_OFFSETS_TO_TXN, (short) 3, new AddOffsetsToTxnRequestData()
                .setTransactionalId(TRANSACTIONAL_ID).setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setGroupId(GROUP)), AddOffsetsToTxnResponseData::errorCode);
        assertThat(added.errorCode()).isZero();
        return producer;
    }

    private void findCoordinator(String key, byte keyType) {
        FindCoordinatorResponseData found = retrying(() -> call(ApiKeys.FIND_COORDINATOR, (short) 3,
                new FindCoordinatorRequestData().setKey(key).setKeyType(keyType)), FindCoordinatorResponseData::errorCode);
        assertThat(found.errorCode()).isZero();
    }

    private Errors commit(int partition, long offset) {
        OffsetCommitResponseData response = retrying(() -> call(ApiKeys.OFFSET_COMMIT, (short) 8, new OffsetCommitRequestData()
                .setGroupId(GROUP).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC).setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition).setCommittedOffset(offset)))))),
                r -> r.topics().get(0).partitions().get(0).errorCode());
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private static TxnOffsetCommitRequestData txnCommit(InitProducerIdResponseData producer, int partition, long offset) {
        return new TxnOffsetCommitRequestData().setTransactionalId(TRANSACTIONAL_ID).setGroupId(GROUP)
                .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(TOPIC).setPartitions(List.of(
                        new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(partition).setCommittedOffset(offset)))));
    }

    private OffsetFetchResponseData fetch(short version, boolean requireStable) {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(requireStable);
        if (version >= 8) {
            request.setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC).setPartitionIndexes(List.of(0))))));
        } else {
            request.setGroupId(GROUP).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(TOPIC)
                    .setPartitionIndexes(List.of(0))));
        }
        return call(ApiKeys.OFFSET_FETCH, version, request);
    }

    private static short firstError(TxnOffsetCommitResponseData response) {
        return response.topics().get(0).partitions().get(0).errorCode();
    }

    private <T extends ApiMessage> T call(ApiKeys key, short version, ApiMessage request) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            return connection.call(key, version, request);
        }
    }

}
