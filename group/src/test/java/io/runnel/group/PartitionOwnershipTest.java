package io.runnel.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.group.consumer.InMemoryTopicCatalog;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.ManualScheduler;
import io.runnel.group.runtime.RecordingWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartitionOwnershipTest {

    private static final int PARTITIONS = 4;
    private static final int LOADED = 1;
    private static final int OTHER = 2;
    private static final int LEADER_EPOCH = 0;
    private static final String TOPIC = "orders";
    private static final long RETENTION_MS = 60_000;
    private static final long CHECK_INTERVAL_MS = 10_000;
    private static final int SESSION_MS = 10_000;
    private static final GroupRequestContext CTX = new GroupRequestContext("client", "/127.0.0.1", (short) 9);

    private final ManualScheduler scheduler = new ManualScheduler(1_000_000);
    private final RecordingWriter writer = new RecordingWriter();
    private final GroupConfig config = new GroupConfig(50, RETENTION_MS, CHECK_INTERVAL_MS, 4096, 6000, 300_000, 3000, 100,
            45_000, 45_000, 60_000, 5000, 100, List.of("uniform", "range"));
    private final InMemoryTopicCatalog topics = new InMemoryTopicCatalog();
    private final GroupCoordinator coordinator = new GroupCoordinator(config, scheduler, writer, topics, PARTITIONS);
    private final String loadedGroup = groupIn(LOADED);
    private final String otherGroup = groupIn(OTHER);

    @BeforeEach
    void createTopic() {
        topics.create(TOPIC, 1);
    }

    @Test
    void shouldFetchOffsetsOfAGroupOnlyOnceItsPartitionHasLoaded() {
        coordinator.beginLoading(LOADED, PARTITIONS, LEADER_EPOCH);
        coordinator.replay(offsetRecord(loadedGroup, 42, scheduler.nowMs()));

        assertThat(fetch(loadedGroup).errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());

        assertThat(coordinator.completeLoading(LOADED)).isTrue();

        OffsetFetchResponseData.OffsetFetchResponseGroup fetched = fetch(loadedGroup);
        assertThat(fetched.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetched.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldAnswerEveryGroupApiNotCoordinatorForAGroupOfAPartitionNotOwned() {
        load(LOADED);

        assertEveryApiAnswers(otherGroup, Errors.NOT_COORDINATOR);
    }

    @Test
    void shouldAnswerEveryGroupApiLoadInProgressWhileItsPartitionLoads() {
        coordinator.beginLoading(OTHER, PARTITIONS, LEADER_EPOCH);

        assertEveryApiAnswers(otherGroup, Errors.COORDINATOR_LOAD_IN_PROGRESS);
    }

    @Test
    void shouldAnswerTheParkedJoinNotCoordinatorAndCancelTheGroupsTimersOnUnload() {
        load(LOADED);
        JoinGroupResponseData first = join(loadedGroup, "").join();
        CompletableFuture<JoinGroupResponseData> parked = join(loadedGroup, first.memberId());
        assertThat(parked).isNotDone();
        assertThat(scheduler.pendingKeys()).anyMatch(key -> key.contains(loadedGroup));
        writer.clear();

        coordinator.unloadPartition(LOADED);

        assertThat(parked.join().errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(scheduler.pendingKeys()).noneMatch(key -> key.contains(loadedGroup));
        assertThat(coordinator.group(loadedGroup)).isNull();
        assertThat(heartbeat(loadedGroup, first.memberId())).isEqualTo(Errors.NOT_COORDINATOR);
        scheduler.advance(10 * RETENTION_MS);
        assertThat(writer.written()).isEmpty();
    }

    @Test
    void shouldCancelConsumerGroupTimersOnUnload() {
        load(LOADED);
        assertThat(consumerHeartbeat(loadedGroup).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(scheduler.pendingKeys()).anyMatch(key -> key.contains(loadedGroup));
        writer.clear();

        coordinator.unloadPartition(LOADED);

        assertThat(scheduler.pendingKeys()).noneMatch(key -> key.contains(loadedGroup));
        assertThat(consumerHeartbeat(loadedGroup).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        scheduler.advance(10 * RETENTION_MS);
        assertThat(writer.written()).isEmpty();
    }

    @Test
    void shouldBringTheGroupBackFromItsRecordsWhenThePartitionLoadsAgain() {
        load(LOADED);
        JoinGroupResponseData first = join(loadedGroup, "").join();
        CompletableFuture<JoinGroupResponseData> joined = join(loadedGroup, first.memberId());
        scheduler.advance(config.classicInitialRebalanceDelayMs());
        int generation = joined.join().generationId();
        SyncGroupResponseData synced = sync(loadedGroup, first.memberId(), generation);
        assertThat(synced.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(commit(loadedGroup, first.memberId(), generation, 7)).isEqualTo(Errors.NONE);
        List<GroupRecord> log = writer.written();

        coordinator.unloadPartition(LOADED);
        assertThat(fetch(loadedGroup).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        coordinator.beginLoading(LOADED, PARTITIONS, LEADER_EPOCH);
        log.forEach(coordinator::replay);
        coordinator.completeLoading(LOADED);

        assertThat(coordinator.group(loadedGroup).stateName()).isEqualTo("Stable");
        assertThat(heartbeat(loadedGroup, first.memberId(), generation)).isEqualTo(Errors.NONE);
        assertThat(fetch(loadedGroup).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(7);
        assertThat(scheduler.pendingKeys()).anyMatch(key -> key.contains(first.memberId()));
    }

    @Test
    void shouldListOnlyTheGroupsOfOwnedPartitions() {
        load(LOADED);
        assertThat(commit(loadedGroup, 1)).isEqualTo(Errors.NONE);
        coordinator.beginLoading(OTHER, PARTITIONS, LEADER_EPOCH);
        coordinator.replay(offsetRecord(otherGroup, 2, scheduler.nowMs()));

        assertThat(listed()).containsExactly(loadedGroup);

        coordinator.completeLoading(OTHER);
        assertThat(listed()).containsExactlyInAnyOrder(loadedGroup, otherGroup);

        coordinator.unloadPartition(LOADED);
        assertThat(listed()).containsExactly(otherGroup);
    }

    @Test
    void shouldNotExpireOffsetsOfAPartitionStillLoading() {
        load(LOADED);
        coordinator.beginLoading(OTHER, PARTITIONS, LEADER_EPOCH);
        coordinator.replay(offsetRecord(otherGroup, 2, scheduler.nowMs() - 2 * RETENTION_MS));

        scheduler.advance(CHECK_INTERVAL_MS);

        assertThat(writer.written()).isEmpty();
        coordinator.completeLoading(OTHER);
        scheduler.advance(CHECK_INTERVAL_MS);
        assertThat(writer.written()).anyMatch(record -> record.groupId().equals(otherGroup) && record.isTombstone());
    }

    @Test
    void shouldDropRecordsOfAPartitionNotLoadingAndNotCompleteItsLoad() {
        coordinator.replay(offsetRecord(otherGroup, 2, scheduler.nowMs()));

        assertThat(coordinator.group(otherGroup)).isNull();
        assertThat(coordinator.completeLoading(OTHER)).isFalse();
    }

    @Test
    void shouldOwnEveryPartitionOnASingleNodeCoordinator() {
        GroupCoordinator single = new GroupCoordinator(config, scheduler, writer, topics);
        single.replay(offsetRecord(otherGroup, 3, scheduler.nowMs()));
        single.onLoaded();

        assertThat(single.listGroups(new ListGroupsRequestData()).groups()).hasSize(1);
        assertThatThrownBy(() -> single.beginLoading(OTHER, PARTITIONS, LEADER_EPOCH)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(coordinator::onLoaded).isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- helpers

    private void assertEveryApiAnswers(String groupId, Errors error) {
        assertThat(join(groupId, "").join().errorCode()).isEqualTo(error.code());
        assertThat(sync(groupId, "m", 1).errorCode()).isEqualTo(error.code());
        assertThat(heartbeat(groupId, "m")).isEqualTo(error);
        assertThat(coordinator.leaveGroup(CTX, new LeaveGroupRequestData().setGroupId(groupId)
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m")))).errorCode()).isEqualTo(error.code());
        assertThat(commit(groupId, 1)).isEqualTo(error);
        assertThat(fetch(groupId).errorCode()).isEqualTo(error.code());
        assertThat(coordinator.offsetDelete(new OffsetDeleteRequestData().setGroupId(groupId)).errorCode()).isEqualTo(error.code());
        assertThat(coordinator.describeGroups(List.of(groupId), (short) 5).get(0).errorCode()).isEqualTo(error.code());
        assertThat(coordinator.deleteGroups(List.of(groupId)).find(groupId).errorCode()).isEqualTo(error.code());
        assertThat(consumerHeartbeat(groupId).errorCode()).isEqualTo(error.code());
        assertThat(coordinator.consumerGroupDescribe(List.of(groupId)).get(0).errorCode()).isEqualTo(error.code());
        assertThat(listed()).doesNotContain(groupId);
        assertThat(writer.written()).isEmpty();
    }

    private void load(int partition) {
        coordinator.beginLoading(partition, PARTITIONS, LEADER_EPOCH);
        coordinator.completeLoading(partition);
    }

    private static String groupIn(int partition) {
        for (int i = 0; ; i++) {
            if (CoordinatorKeys.partitionFor("group-" + i, PARTITIONS) == partition) {
                return "group-" + i;
            }
        }
    }

    private static GroupRecord offsetRecord(String groupId, long offset, long commitTimestampMs) {
        return GroupRecord.of(new GroupRecordKey.Offset(groupId, TOPIC, 0),
                new GroupRecordValue.Offset(offset, -1, "", commitTimestampMs, -1));
    }

    private CompletableFuture<JoinGroupResponseData> join(String groupId, String memberId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(ConsumerProtocol.serializeSubscription(new Subscription(List.of(TOPIC))).array()));
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        coordinator.joinGroup(CTX, new JoinGroupRequestData().setGroupId(groupId).setMemberId(memberId).setProtocolType("consumer")
                .setProtocols(protocols).setSessionTimeoutMs(SESSION_MS).setRebalanceTimeoutMs(60_000), response);
        return response;
    }

    private SyncGroupResponseData sync(String groupId, String memberId, int generation) {
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        coordinator.syncGroup(CTX, new SyncGroupRequestData().setGroupId(groupId).setMemberId(memberId).setGenerationId(generation)
                .setProtocolType("consumer").setProtocolName("range").setAssignments(List.of(
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId).setAssignment(new byte[0]))),
                response);
        return response.join();
    }

    private Errors heartbeat(String groupId, String memberId) {
        return heartbeat(groupId, memberId, 1);
    }

    private Errors heartbeat(String groupId, String memberId, int generation) {
        return Errors.forCode(coordinator.heartbeat(CTX, new HeartbeatRequestData().setGroupId(groupId).setMemberId(memberId)
                .setGenerationId(generation)).errorCode());
    }

    private ConsumerGroupHeartbeatResponseData consumerHeartbeat(String groupId) {
        return coordinator.consumerGroupHeartbeat(new GroupRequestContext("client", "/127.0.0.1", (short) 1),
                new ConsumerGroupHeartbeatRequestData().setGroupId(groupId).setMemberId(Uuid.randomUuid().toString())
                        .setMemberEpoch(0).setRebalanceTimeoutMs(60_000).setSubscribedTopicNames(List.of(TOPIC))
                        .setTopicPartitions(List.of()));
    }

    /** Commits {@code offset} for partition 0 from outside any group; the error of that partition. */
    private Errors commit(String groupId, long offset) {
        return commit(groupId, "", -1, offset);
    }

    private Errors commit(String groupId, String memberId, int generation, long offset) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(groupId).setGenerationIdOrMemberEpoch(generation)
                .setMemberId(memberId).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(offset)))));
        return Errors.forCode(coordinator.offsetCommit(CTX, request).topics().get(0).partitions().get(0).errorCode());
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String groupId) {
        return coordinator.offsetFetch(CTX, new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(groupId)
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC).setPartitionIndexes(List.of(0)))), false);
    }

    private List<String> listed() {
        return coordinator.listGroups(new ListGroupsRequestData()).groups().stream()
                .map(ListGroupsResponseData.ListedGroup::groupId).toList();
    }
}
