package io.runnel.group.offset;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.TopicCatalog;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.ManualScheduler;
import io.runnel.group.runtime.RecordingWriter;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class OffsetManagerTest {

    private static final Uuid ORDERS_ID = Uuid.randomUuid();
    private static final long RETENTION_MS = 60_000;
    private static final GroupRequestContext V9 = new GroupRequestContext("client", "/127.0.0.1", (short) 9);
    private static final GroupRequestContext V8 = new GroupRequestContext("client", "/127.0.0.1", (short) 8);
    private static final GroupRequestContext TXN_V3 = new GroupRequestContext("producer", "/127.0.0.1", (short) 3);
    private static final TransactionalWrite TXN_WRITE = TransactionalWrite.unverified(77, (short) 2);

    private final ManualScheduler scheduler = new ManualScheduler(1_000_000);
    private final RecordingWriter writer = new RecordingWriter();
    private final GroupRegistry groups = new GroupRegistry();
    private final OffsetStore store = new OffsetStore();
    private final GroupConfig config = new GroupConfig(50, RETENTION_MS, 10_000, 16, 6000, 1_800_000, 0, 100,
            45_000, 45_000, 60_000, 5000, 100, List.of("uniform", "range"));
    private final OffsetManager offsets = new OffsetManager(groups, store, writer, scheduler, config, new Catalog(), id -> {
        TestGroup group = new TestGroup(id);
        groups.put(group);
        return group;
    });

    @Test
    void shouldCommitFromOutsideTheGroupAndCreateASimpleGroup() {
        OffsetCommitResponseData response = offsets.commit(V9, commit("simple", -1, "", 0, 42, "meta"));

        assertThat(errors(response)).containsOnly(Errors.NONE.code());
        assertThat(groups.get("simple")).isNotNull();
        assertThat(fetch("simple", 0).committedOffset()).isEqualTo(42);
        assertThat(fetch("simple", 0).metadata()).isEqualTo("meta");
        assertThat(writer.written()).hasSize(1);
    }

    @Test
    void shouldAnswerGroupIdNotFoundForAGenerationWithoutAGroupFromV9() {
        assertThat(errors(offsets.commit(V9, commit("ghost", 3, "m", 0, 1, null)))).containsOnly(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(errors(offsets.commit(V8, commit("ghost", 3, "m", 0, 1, null)))).containsOnly(Errors.ILLEGAL_GENERATION.code());
        assertThat(writer.written()).isEmpty();
    }

    @Test
    void shouldRefuseAStaleGeneration() {
        TestGroup group = member("g", "m1", 5);

        assertThat(errors(offsets.commit(V9, commit("g", 4, "m1", 0, 1, null)))).containsOnly(Errors.ILLEGAL_GENERATION.code());
        assertThat(errors(offsets.commit(V9, commit("g", 5, "other", 0, 1, null)))).containsOnly(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(errors(offsets.commit(V9, commit("g", group.generation, "m1", 0, 1, null)))).containsOnly(Errors.NONE.code());
    }

    @Test
    void shouldFenceATransactionalCommitOfAStaleGenerationOrAnUnknownMember() {
        TestGroup group = member("g", "m1", 5);

        assertThat(txnErrors(offsets.txnCommit(TXN_V3, txnCommit("g", 4, "m1"), TXN_WRITE, Errors.NONE)))
                .containsOnly(Errors.ILLEGAL_GENERATION.code());
        assertThat(txnErrors(offsets.txnCommit(TXN_V3, txnCommit("g", 5, "other"), TXN_WRITE, Errors.NONE)))
                .containsOnly(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(writer.writtenTransactionally()).isEmpty();

        assertThat(txnErrors(offsets.txnCommit(TXN_V3, txnCommit("g", group.generation, "m1"), TXN_WRITE, Errors.NONE)))
                .containsOnly(Errors.NONE.code());
        assertThat(writer.writtenTransactionally()).hasSize(1);
    }

    @Test
    void shouldAcceptATransactionalCommitNamingNoMemberWhileTheGroupHasMembers() {
        member("g", "m1", 5);

        assertThat(txnErrors(offsets.txnCommit(TXN_V3, txnCommit("g", -1, ""), TXN_WRITE, Errors.NONE))).containsOnly(Errors.NONE.code());
    }

    @Test
    void shouldAnswerOffsetMetadataTooLargeForATransactionalCommitPerPartition() {
        TxnOffsetCommitRequestData request = txnCommit("g", -1, "");
        request.topics().get(0).partitions().get(0).setCommittedMetadata("x".repeat(17));

        assertThat(txnErrors(offsets.txnCommit(TXN_V3, request, TXN_WRITE, Errors.NONE))).containsOnly(Errors.OFFSET_METADATA_TOO_LARGE.code());
        assertThat(writer.writtenTransactionally()).isEmpty();
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionPerPartition() {
        OffsetCommitRequestData request = commit("g", -1, "", 0, 1, null);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("missing").setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5))));
        request.topics().get(0).partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                .setPartitionIndex(9).setCommittedOffset(5));

        OffsetCommitResponseData response = offsets.commit(V9, request);

        assertThat(response.topics().get(0).partitions()).extracting(p -> p.errorCode())
                .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.topics().get(1).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(writer.written()).hasSize(1);
    }

    @Test
    void shouldRefuseMetadataOverTheLimit() {
        OffsetCommitResponseData response = offsets.commit(V9, commit("g", -1, "", 0, 1, "x".repeat(17)));

        assertThat(errors(response)).containsOnly(Errors.OFFSET_METADATA_TOO_LARGE.code());
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableAndKeepNothingWhenTheWriteFails() {
        writer.failWrites(true);

        OffsetCommitResponseData response = offsets.commit(V9, commit("g", -1, "", 0, 7, null));

        assertThat(errors(response)).containsOnly(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(fetch("g", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldRoundTripTheLeaderEpoch() {
        OffsetCommitRequestData request = commit("g", -1, "", 0, 10, null);
        request.topics().get(0).partitions().get(0).setCommittedLeaderEpoch(3);

        offsets.commit(V9, request);

        assertThat(fetch("g", 0).committedLeaderEpoch()).isEqualTo(3);
    }

    @Test
    void shouldFetchAllOffsetsWhenNoTopicsAreNamed() {
        offsets.commit(V9, commit("g", -1, "", 1, 10, null));
        offsets.commit(V9, commit("g", -1, "", 0, 20, null));

        OffsetFetchResponseData.OffsetFetchResponseGroup all = offsets.fetch(V9,
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null), false);

        assertThat(all.topics()).hasSize(1);
        assertThat(all.topics().get(0).topicId()).isEqualTo(ORDERS_ID);
        assertThat(all.topics().get(0).partitions()).extracting(p -> p.committedOffset()).containsExactly(20L, 10L);
    }

    @Test
    void shouldAnswerNoOffsetForAnUnknownGroup() {
        assertThat(fetch("nobody", 0).committedOffset()).isEqualTo(-1);
        assertThat(fetch("nobody", 0).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldExpireOffsetsOfAnEmptyGroupAfterTheRetentionAndDeleteTheGroup() {
        offsets.commit(V9, commit("g", -1, "", 0, 10, null));
        offsets.scheduleExpiry();

        scheduler.advance(RETENTION_MS - 10_000);
        assertThat(fetch("g", 0).committedOffset()).isEqualTo(10);

        scheduler.advance(10_000);
        assertThat(fetch("g", 0).committedOffset()).isEqualTo(-1);
        assertThat(groups.get("g")).isNull();
        assertThat(writer.written()).extracting(GroupRecord::isTombstone).containsExactly(false, true, true);
    }

    @Test
    void shouldKeepOffsetsOfTopicsAnActiveGroupIsSubscribedTo() {
        TestGroup group = member("g", "m1", 1);
        group.subscribedTopics.add("orders");
        offsets.commit(V9, commit("g", 1, "m1", 0, 10, null));

        scheduler.advance(RETENTION_MS * 2);
        offsets.expireOffsets();

        assertThat(fetch("g", 0).committedOffset()).isEqualTo(10);
    }

    @Test
    void shouldCountAnEmptyGroupsRetentionFromWhenItEmptied() {
        TestGroup group = member("g", "m1", 1);
        group.subscribedTopics.add("orders");
        offsets.commit(V9, commit("g", 1, "m1", 0, 10, null));
        scheduler.advance(RETENTION_MS * 2);
        group.members.clear();
        group.subscribedTopics.clear();
        group.emptiedAtMs = scheduler.nowMs();

        offsets.expireOffsets();
        assertThat(fetch("g", 0).committedOffset()).as("an offset older than retention, of a group that just emptied").isEqualTo(10);

        scheduler.advance(RETENTION_MS);
        offsets.expireOffsets();
        assertThat(fetch("g", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldNeverExpireOffsetsOfAGroupWithMembersThatIsNotAStableConsumerGroup() {
        member("connect-cluster", "worker-1", 1);
        offsets.commit(V9, commit("connect-cluster", 1, "worker-1", 0, 10, null));

        scheduler.advance(RETENTION_MS * 10);
        offsets.expireOffsets();

        assertThat(fetch("connect-cluster", 0).committedOffset()).isEqualTo(10);
    }

    @Test
    void shouldDeleteAnEmptyGroupWithoutOffsets() {
        groups.put(new TestGroup("idle"));

        offsets.expireOffsets();

        assertThat(groups.get("idle")).isNull();
        assertThat(writer.written()).extracting(GroupRecord::isTombstone).containsExactly(true);
    }

    @Test
    void shouldHonourAnExplicitRetentionFromOldClients() {
        OffsetCommitRequestData request = commit("g", -1, "", 0, 10, null).setRetentionTimeMs(1000);
        offsets.commit(new GroupRequestContext("c", "h", (short) 2), request);

        scheduler.advance(1000);
        offsets.expireOffsets();

        assertThat(fetch("g", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldDeleteOffsetsOnlyOfTopicsTheGroupDoesNotSubscribeTo() {
        TestGroup group = member("g", "m1", 1);
        offsets.commit(V9, commit("g", 1, "m1", 0, 10, null));
        group.subscribedTopics.add("orders");

        OffsetDeleteResponseData refused = offsets.delete(delete("g", 0));
        group.subscribedTopics.clear();
        OffsetDeleteResponseData deleted = offsets.delete(delete("g", 0));

        assertThat(refused.topics().find("orders").partitions().find(0).errorCode()).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(deleted.topics().find("orders").partitions().find(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetch("g", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldForgetOffsetsOfADeletedTopic() {
        offsets.commit(V9, commit("g", -1, "", 0, 10, null));

        offsets.onTopicDeleted("orders");

        assertThat(fetch("g", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldRebuildTheSameOffsetsByReplayingWhatWasWritten() {
        offsets.commit(V9, commit("g", -1, "", 0, 10, "a"));
        offsets.commit(V9, commit("g", -1, "", 0, 11, "b"));
        offsets.commit(V9, commit("h", -1, "", 2, 12, "c"));

        GroupRegistry replayedGroups = new GroupRegistry();
        OffsetStore replayed = new OffsetStore();
        OffsetManager reloaded = new OffsetManager(replayedGroups, replayed, new RecordingWriter(), scheduler, config, new Catalog(), id -> {
            TestGroup group = new TestGroup(id);
            replayedGroups.put(group);
            return group;
        });
        for (GroupRecord record : writer.written()) {
            reloaded.replay((GroupRecordKey.Offset) record.key(), (GroupRecordValue.Offset) record.value());
        }

        assertThat(replayed.all("g")).isEqualTo(store.all("g"));
        assertThat(replayed.all("h")).isEqualTo(store.all("h"));
        assertThat(replayedGroups.get("h")).isNotNull();
    }

    private TestGroup member(String groupId, String memberId, int generation) {
        TestGroup group = new TestGroup(groupId);
        group.members.add(memberId);
        group.generation = generation;
        groups.put(group);
        return group;
    }

    private static OffsetCommitRequestData commit(String groupId, int generation, String memberId, int partition, long offset, String metadata) {
        return new OffsetCommitRequestData().setGroupId(groupId).setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setTopics(new java.util.ArrayList<>(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders")
                        .setPartitions(new java.util.ArrayList<>(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset).setCommittedMetadata(metadata)))))));
    }

    private static OffsetDeleteRequestData delete(String groupId, int partition) {
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId(groupId);
        OffsetDeleteRequestData.OffsetDeleteRequestTopic topic = new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders");
        topic.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(partition));
        request.topics().add(topic);
        return request;
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetch(String groupId, int partition) {
        OffsetFetchResponseData.OffsetFetchResponseGroup response = offsets.fetch(V9, new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(groupId).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("orders")
                        .setPartitionIndexes(List.of(partition)))), false);
        return response.topics().get(0).partitions().get(0);
    }

    private static TxnOffsetCommitRequestData txnCommit(String groupId, int generation, String memberId) {
        return new TxnOffsetCommitRequestData().setTransactionalId("t").setGroupId(groupId).setProducerId(TXN_WRITE.producerId())
                .setProducerEpoch(TXN_WRITE.producerEpoch()).setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("orders")
                        .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(3)))));
    }

    private static List<Short> txnErrors(TxnOffsetCommitResponseData response) {
        return response.topics().stream().flatMap(t -> t.partitions().stream()).map(p -> p.errorCode()).toList();
    }

    private static List<Short> errors(OffsetCommitResponseData response) {
        return response.topics().stream().flatMap(t -> t.partitions().stream()).map(p -> p.errorCode()).toList();
    }

    private static final class Catalog implements TopicCatalog {
        private final TopicInfo orders = new TopicInfo("orders", ORDERS_ID, 3);

        @Override
        public TopicInfo topic(String name) {
            return name.equals("orders") ? orders : null;
        }

        @Override
        public TopicInfo topic(Uuid id) {
            return id.equals(ORDERS_ID) ? orders : null;
        }

        @Override
        public Collection<TopicInfo> topics() {
            return List.of(orders);
        }
    }

}
