package io.runnel.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.consumer.InMemoryTopicCatalog;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordSerde;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.ManualScheduler;
import io.runnel.group.runtime.RecordingWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactional offsets (TxnOffsetCommit, markers, require_stable) as a cluster coordinator that
 * owns one {@code __consumer_offsets} partition sees them, by the rules of Kafka's
 * {@code OffsetMetadataManager}.
 */
class TransactionalOffsetsTest {

    private static final int PARTITIONS = 4;
    private static final int LOADED = 1;
    private static final int LEADER_EPOCH = 3;
    private static final int TXN_COORDINATOR_EPOCH = 7;
    private static final short TV_1 = 1;
    private static final String TOPIC = "orders";
    private static final long RETENTION_MS = 60_000;
    private static final long CHECK_INTERVAL_MS = 10_000;
    private static final long PRODUCER = 1000;
    private static final long OTHER_PRODUCER = 2000;
    private static final short EPOCH = 4;
    private static final GroupRequestContext TXN_V3 = new GroupRequestContext("producer", "/127.0.0.1", (short) 3);
    private static final GroupRequestContext FETCH_V9 = new GroupRequestContext("consumer", "/127.0.0.1", (short) 9);

    private final ManualScheduler scheduler = new ManualScheduler(1_000_000);
    private final RecordingWriter writer = new RecordingWriter();
    private final GroupConfig config = new GroupConfig(50, RETENTION_MS, CHECK_INTERVAL_MS, 4096, 6000, 300_000, 3000, 100,
            45_000, 45_000, 60_000, 5000, 100, List.of("uniform", "range"));
    private final InMemoryTopicCatalog topics = new InMemoryTopicCatalog();
    private final GroupCoordinator coordinator = new GroupCoordinator(config, scheduler, writer, topics, PARTITIONS);
    private final String group = groupIn(LOADED);

    @BeforeEach
    void loadPartition() {
        topics.create(TOPIC, 2);
        coordinator.beginLoading(LOADED, PARTITIONS, LEADER_EPOCH);
        coordinator.completeLoading(LOADED);
    }

    @Test
    void shouldKeepATransactionalOffsetInvisibleUntilItsTransactionCommits() {
        commit(0, 5);

        assertThat(txnCommit(PRODUCER, 0, 10)).containsOnly(Errors.NONE);
        assertThat(writer.writtenTransactionally()).hasSize(1);
        assertThat(fetched(0, false).committedOffset()).isEqualTo(5);

        assertThat(complete(PRODUCER, true)).isEqualTo(Errors.NONE);

        assertThat(fetched(0, true).committedOffset()).isEqualTo(10);
        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(writer.markers()).containsExactly(new RecordingWriter.Marker(LOADED, PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true));
    }

    @Test
    void shouldDropTheOffsetsOfAnAbortedTransaction() {
        commit(0, 5);
        txnCommit(PRODUCER, 0, 10);

        assertThat(complete(PRODUCER, false)).isEqualTo(Errors.NONE);

        assertThat(fetched(0, true).committedOffset()).isEqualTo(5);
        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldAnswerUnstableOffsetCommitToARequireStableFetchOfAPendingPartitionOnly() {
        commit(0, 5);
        commit(1, 6);
        txnCommit(PRODUCER, 0, 10);

        OffsetFetchResponseData.OffsetFetchResponsePartitions pending = fetched(0, true);
        assertThat(pending.errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(pending.committedOffset()).isEqualTo(-1);
        assertThat(fetched(1, true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetched(1, true).committedOffset()).isEqualTo(6);
    }

    @Test
    void shouldAnswerUnstableOffsetCommitInTheFetchAllFormToo() {
        commit(0, 5);
        commit(1, 6);
        txnCommit(PRODUCER, 0, 10);

        OffsetFetchResponseData.OffsetFetchResponseGroup all = coordinator.offsetFetch(FETCH_V9,
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(null), true);

        assertThat(all.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(all.topics().get(0).partitions()).extracting(p -> p.errorCode(), p -> p.committedOffset())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Errors.UNSTABLE_OFFSET_COMMIT.code(), -1L),
                        org.assertj.core.groups.Tuple.tuple(Errors.NONE.code(), 6L));
    }

    @Test
    void shouldKeepTheTransactionsOfTwoProducersOnTheSamePartitionApart() {
        txnCommit(PRODUCER, 0, 10);
        txnCommit(OTHER_PRODUCER, 0, 20);

        complete(OTHER_PRODUCER, true);

        assertThat(fetched(0, false).committedOffset()).isEqualTo(20);
        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());

        complete(PRODUCER, false);

        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetched(0, true).committedOffset()).isEqualTo(20);
    }

    @Test
    void shouldKeepAPlainCommitWrittenAfterTheTransactionalOneWhenTheTransactionCommits() {
        txnCommit(PRODUCER, 0, 10);
        commit(0, 15);

        complete(PRODUCER, true);

        assertThat(fetched(0, true).committedOffset()).isEqualTo(15);
    }

    @Test
    void shouldNotLetAnOlderTransactionOverwriteTheOffsetOfANewerCommittedOne() {
        txnCommit(PRODUCER, 0, 10);
        txnCommit(OTHER_PRODUCER, 0, 20);
        complete(OTHER_PRODUCER, true);

        complete(PRODUCER, true);

        assertThat(fetched(0, true).committedOffset()).isEqualTo(20);
    }

    @Test
    void shouldReplayATransactionalBatchAsPendingAndItsMarkerAsTheCommitWhenLoading() {
        GroupCoordinator reloaded = new GroupCoordinator(config, scheduler, new RecordingWriter(), topics, PARTITIONS);
        reloaded.beginLoading(LOADED, PARTITIONS, LEADER_EPOCH + 1);
        replay(reloaded, 0, RecordBatch.NO_PRODUCER_ID, offsetRecord(0, 5));
        replay(reloaded, 1, PRODUCER, offsetRecord(0, 10));
        replay(reloaded, 2, OTHER_PRODUCER, offsetRecord(1, 30));
        reloaded.replayMarker(LOADED, PRODUCER, EPOCH, true);
        reloaded.completeLoading(LOADED);

        assertThat(fetched(reloaded, 0, true).committedOffset()).isEqualTo(10);
        assertThat(fetched(reloaded, 1, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        assertThat(fetched(reloaded, 1, false).committedOffset()).isEqualTo(-1);

        reloaded.completeTransaction(LOADED, OTHER_PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true, TV_1);

        assertThat(fetched(reloaded, 1, true).committedOffset()).isEqualTo(30);
    }

    @Test
    void shouldDropAnAbortedTransactionWhenLoading() {
        GroupCoordinator reloaded = new GroupCoordinator(config, scheduler, new RecordingWriter(), topics, PARTITIONS);
        reloaded.beginLoading(LOADED, PARTITIONS, LEADER_EPOCH + 1);
        replay(reloaded, 0, RecordBatch.NO_PRODUCER_ID, offsetRecord(0, 5));
        replay(reloaded, 1, PRODUCER, offsetRecord(0, 10));
        reloaded.replayMarker(LOADED, PRODUCER, EPOCH, false);
        reloaded.completeLoading(LOADED);

        assertThat(fetched(reloaded, 0, true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetched(reloaded, 0, true).committedOffset()).isEqualTo(5);
    }

    @Test
    void shouldForgetPendingOffsetsWhenThePartitionIsUnloaded() {
        txnCommit(PRODUCER, 0, 10);

        coordinator.unloadPartition(LOADED);
        coordinator.beginLoading(LOADED, PARTITIONS, LEADER_EPOCH + 1);
        coordinator.completeLoading(LOADED);

        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(complete(PRODUCER, true)).isEqualTo(Errors.NONE);
        assertThat(fetched(0, true).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldCompleteATransactionOnASingleNodeCoordinatorThatOwnsEveryPartition() {
        GroupCoordinator singleNode = new GroupCoordinator(config, scheduler, writer, topics);
        singleNode.txnOffsetCommit(TXN_V3, txnRequest(PRODUCER, 0, 10), write(PRODUCER));

        int partition = CoordinatorKeys.partitionFor(group, config.offsetsTopicNumPartitions());

        assertThat(singleNode.completeTransaction(partition, PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true, TV_1)).isEqualTo(Errors.NONE);

        assertThat(fetched(singleNode, 0, true).committedOffset()).isEqualTo(10);
    }

    @Test
    void shouldAnswerCoordinatorErrorsForAMarkerOfAPartitionNotServed() {
        assertThat(coordinator.completeTransaction(LOADED + 1, PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true, TV_1))
                .isEqualTo(Errors.NOT_COORDINATOR);

        coordinator.beginLoading(LOADED + 1, PARTITIONS, LEADER_EPOCH);

        assertThat(coordinator.completeTransaction(LOADED + 1, PRODUCER, EPOCH, TXN_COORDINATOR_EPOCH, true, TV_1))
                .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(writer.markers()).isEmpty();
    }

    @Test
    void shouldKeepTheOffsetsPendingWhenTheMarkerCannotBeWritten() {
        txnCommit(PRODUCER, 0, 10);
        writer.failWrites(new InvalidProducerEpochException("stale"));

        assertThat(complete(PRODUCER, true)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);

        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    @Test
    void shouldAnswerTheLogsErrorAndKeepNothingPendingWhenTheTransactionalWriteFails() {
        writer.failWrites(new InvalidProducerEpochException("stale"));

        assertThat(txnCommit(PRODUCER, 0, 10)).containsOnly(Errors.INVALID_PRODUCER_EPOCH);

        writer.failWrites(false);
        assertThat(fetched(0, true).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionWithoutTouchingTheGroup() {
        TxnOffsetCommitRequestData request = txnRequest(PRODUCER, 0, 10);
        request.topics().get(0).setName("missing");
        request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(TOPIC).setPartitions(List.of(
                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(9).setCommittedOffset(1))));

        assertThat(errors(coordinator.txnOffsetCommit(TXN_V3, request, write(PRODUCER)))).containsOnly(Errors.UNKNOWN_TOPIC_OR_PARTITION);

        assertThat(coordinator.group(group)).isNull();
        assertThat(writer.writtenTransactionally()).isEmpty();
    }

    @Test
    void shouldRefuseATransactionalCommitWithAGenerationForAnUnknownGroupAsIllegalGeneration() {
        TxnOffsetCommitRequestData request = txnRequest(PRODUCER, 0, 10).setGenerationIdOrMemberEpoch(2).setMemberId("m");

        assertThat(errors(coordinator.txnOffsetCommit(TXN_V3, request, write(PRODUCER)))).containsOnly(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldAnswerInvalidGroupIdAndNotCoordinatorBeforeLookingAtTheGroup() {
        assertThat(errors(coordinator.txnOffsetCommit(TXN_V3, txnRequest(PRODUCER, 0, 10).setGroupId(""), write(PRODUCER))))
                .containsOnly(Errors.INVALID_GROUP_ID);
        assertThat(errors(coordinator.txnOffsetCommit(TXN_V3, txnRequest(PRODUCER, 0, 10).setGroupId(groupIn(LOADED + 1)), write(PRODUCER))))
                .containsOnly(Errors.NOT_COORDINATOR);
    }

    @Test
    void shouldTombstoneOffsetsOnlyPendingWhenTheGroupIsDeleted() {
        commit(0, 5);
        txnCommit(PRODUCER, 1, 10);

        DeleteGroupsResponseData.DeletableGroupResultCollection deleted = coordinator.deleteGroups(List.of(group));

        assertThat(deleted.find(group).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(tombstonedPartitions()).containsExactlyInAnyOrder(0, 1);
        complete(PRODUCER, true);
        assertThat(fetched(1, true).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldTombstoneAnOffsetOnlyPendingOnOffsetDelete() {
        txnCommit(PRODUCER, 1, 10);
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId(group);
        OffsetDeleteRequestData.OffsetDeleteRequestTopic topic = new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(TOPIC);
        topic.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(1));
        request.topics().add(topic);

        coordinator.offsetDelete(request);

        assertThat(tombstonedPartitions()).containsExactly(1);
        assertThat(fetched(1, true).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldNeitherExpireAnOffsetWithAPendingOneNorDeleteAGroupWithAnOpenTransaction() {
        commit(0, 5);
        txnCommit(PRODUCER, 0, 10);

        scheduler.advance(RETENTION_MS + CHECK_INTERVAL_MS);

        assertThat(tombstonedPartitions()).isEmpty();
        assertThat(coordinator.group(group)).isNotNull();

        complete(PRODUCER, true);
        scheduler.advance(RETENTION_MS + CHECK_INTERVAL_MS);

        assertThat(tombstonedPartitions()).containsExactly(0);
        assertThat(coordinator.group(group)).isNull();
    }

    private Errors complete(long producerId, boolean commit) {
        return coordinator.completeTransaction(LOADED, producerId, EPOCH, TXN_COORDINATOR_EPOCH, commit, TV_1);
    }

    private void commit(int partition, long offset) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset)))));
        assertThat(coordinator.offsetCommit(FETCH_V9, request).topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
    }

    private List<Errors> txnCommit(long producerId, int partition, long offset) {
        return errors(coordinator.txnOffsetCommit(TXN_V3, txnRequest(producerId, partition, offset), write(producerId)));
    }

    private TxnOffsetCommitRequestData txnRequest(long producerId, int partition, long offset) {
        return new TxnOffsetCommitRequestData().setTransactionalId("txn-" + producerId).setGroupId(group).setProducerId(producerId)
                .setProducerEpoch(EPOCH).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(new ArrayList<>(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(TOPIC)
                        .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset))))));
    }

    private static TransactionalWrite write(long producerId) {
        return TransactionalWrite.unverified(producerId, EPOCH);
    }

    private static List<Errors> errors(TxnOffsetCommitResponseData response) {
        return response.topics().stream().flatMap(t -> t.partitions().stream()).map(p -> Errors.forCode(p.errorCode())).toList();
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetched(int partition, boolean requireStable) {
        return fetched(coordinator, partition, requireStable);
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetched(GroupCoordinator from, int partition, boolean requireStable) {
        OffsetFetchResponseData.OffsetFetchResponseGroup response = from.offsetFetch(FETCH_V9, new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(group).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC)
                        .setPartitionIndexes(List.of(partition)))), requireStable);
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        return response.topics().get(0).partitions().get(0);
    }

    private GroupRecord offsetRecord(int partition, long offset) {
        return GroupRecord.of(new GroupRecordKey.Offset(group, TOPIC, partition),
                new GroupRecordValue.Offset(offset, -1, "", scheduler.nowMs(), -1));
    }

    private static void replay(GroupCoordinator into, long logOffset, long producerId, GroupRecord record) {
        into.replay(LOADED, logOffset, producerId, producerId == RecordBatch.NO_PRODUCER_ID ? RecordBatch.NO_PRODUCER_EPOCH : EPOCH,
                ByteBuffer.wrap(GroupRecordSerde.serializeKey(record.key())), ByteBuffer.wrap(GroupRecordSerde.serializeValue(record.value())));
    }

    private List<Integer> tombstonedPartitions() {
        return writer.written().stream().filter(GroupRecord::isTombstone).map(GroupRecord::key)
                .filter(key -> key instanceof GroupRecordKey.Offset).map(key -> ((GroupRecordKey.Offset) key).partition()).toList();
    }

    private static String groupIn(int partition) {
        for (int i = 0; ; i++) {
            String groupId = "group-" + i;
            if (CoordinatorKeys.partitionFor(groupId, PARTITIONS) == partition) {
                return groupId;
            }
        }
    }
}
