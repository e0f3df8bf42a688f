package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawGroupMember;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong group requests get Kafka's error codes (as Kafka 4.3 answers them, checked side by side), and
 * the group they were aimed at stays healthy: after each one, the real member still heartbeats in
 * its generation (or epoch) with its assignment, and commits and fetches offsets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupBadInputIT {

    private static final String TOPIC = "bad-input";
    private static final int SESSION_TIMEOUT_MS = 30_000;
    private static final List<TopicPartition> ASSIGNED = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));

    @TempDir
    static Path dataDir;

    private EmbeddedBroker broker;
    private Uuid topicId;
    private RawKafkaConnection connection;

    @BeforeAll
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000",
                "group.max.session.timeout.ms", "60000",
                "group.consumer.min.session.timeout.ms", "1000",
                "group.consumer.session.timeout.ms", "30000",
                "group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "100",
                "offsets.topic.num.partitions", "5"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
        // As a client would: the first FindCoordinator creates __consumer_offsets.
        try (RawKafkaConnection lookup = RawKafkaConnection.open(broker.bootstrapServers())) {
            lookup.call(ApiKeys.FIND_COORDINATOR, (short) 3, new FindCoordinatorRequestData().setKey("any"));
        }
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
        }
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void connect() {
        connection = RawKafkaConnection.open(broker.bootstrapServers());
    }

    @AfterEach
    void disconnect() {
        connection.close();
    }

    // --- classic protocol ---

    @Test
    void shouldAnswerUnknownMemberIdAndKeepTheGroup() {
        RawGroupMember member = stableMember("unknown-member", null);

        assertThat(heartbeat(member.groupId(), member.generation(), "not-a-member", null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        SyncGroupResponseData sync = connection.call(ApiKeys.SYNC_GROUP, (short) 5, member.syncRequest(ASSIGNED).setMemberId("not-a-member"));
        assertThat(Errors.forCode(sync.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit(member.groupId(), member.generation(), "not-a-member", null, (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(leave(member.groupId(), "not-a-member", null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        JoinGroupResponseData join = connection.call(ApiKeys.JOIN_GROUP, (short) 9,
                RawGroupMember.of(connection, member.groupId(), null).joinRequest(TOPIC, SESSION_TIMEOUT_MS).setMemberId("not-a-member"));
        assertThat(Errors.forCode(join.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        assertHealthy(member);
    }

    @Test
    void shouldAnswerIllegalGenerationForAStaleGeneration() {
        RawGroupMember member = stableMember("stale-generation", null);

        assertThat(heartbeat(member.groupId(), member.generation() - 1, member.memberId(), null)).isEqualTo(Errors.ILLEGAL_GENERATION);
        SyncGroupResponseData sync = connection.call(ApiKeys.SYNC_GROUP, (short) 5, member.syncRequest(ASSIGNED).setGenerationId(member.generation() - 1));
        assertThat(Errors.forCode(sync.errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
        for (short version = 2; version <= 10; version++) {
            assertThat(commit(member.groupId(), member.generation() + 1, member.memberId(), null, version))
                    .as("OffsetCommit v%d", version).isEqualTo(Errors.ILLEGAL_GENERATION);
        }

        assertHealthy(member);
    }

    @Test
    void shouldFenceAnotherMemberUsingAStaticMembersInstanceId() {
        RawGroupMember member = stableMember("fenced", "instance-1");

        JoinGroupResponseData join = connection.call(ApiKeys.JOIN_GROUP, (short) 9,
                member.joinRequest(TOPIC, SESSION_TIMEOUT_MS).setMemberId("impostor"));
        assertThat(Errors.forCode(join.errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(heartbeat(member.groupId(), member.generation(), "impostor", "instance-1")).isEqualTo(Errors.FENCED_INSTANCE_ID);
        SyncGroupResponseData sync = connection.call(ApiKeys.SYNC_GROUP, (short) 5, member.syncRequest(ASSIGNED).setMemberId("impostor"));
        assertThat(Errors.forCode(sync.errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(commit(member.groupId(), member.generation(), "impostor", "instance-1", (short) 9)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(leave(member.groupId(), "impostor", "instance-1")).isEqualTo(Errors.FENCED_INSTANCE_ID);

        assertHealthy(member);
    }

    @Test
    void shouldAnswerCommitsToUnknownTopicsPerPartition() {
        RawGroupMember member = stableMember("unknown-topic", null);

        OffsetCommitResponseData byName = connection.call(ApiKeys.OFFSET_COMMIT, (short) 9,
                commitRequest(member.groupId(), member.generation(), member.memberId(), null, (short) 9)
                        .setTopics(List.of(commitTopic("no-such-topic", Uuid.ZERO_UUID, 0), commitTopic(TOPIC, Uuid.ZERO_UUID, 7))));
        assertThat(byName.topics()).allSatisfy(t -> assertThat(Errors.forCode(t.partitions().get(0).errorCode()))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION));
        OffsetCommitResponseData byId = connection.call(ApiKeys.OFFSET_COMMIT, (short) 10,
                commitRequest(member.groupId(), member.generation(), member.memberId(), null, (short) 10)
                        .setTopics(List.of(commitTopic("", Uuid.randomUuid(), 0))));
        assertThat(Errors.forCode(byId.topics().get(0).partitions().get(0).errorCode())).isEqualTo(Errors.UNKNOWN_TOPIC_ID);

        assertHealthy(member);
    }

    @Test
    void shouldRefuseAnInvalidSessionTimeout() {
        for (int sessionTimeoutMs : new int[] {10, 600_000}) {
            RawGroupMember member = RawGroupMember.of(connection, "session-timeout", null);
            JoinGroupResponseData join = member.join((short) 9, TOPIC, sessionTimeoutMs);
            assertThat(Errors.forCode(join.errorCode())).as("session timeout %d", sessionTimeoutMs).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        }

        assertHealthy(stableMember("session-timeout", null));
    }

    @Test
    void shouldRefuseToDeleteANonEmptyGroupOrItsSubscribedOffsets() {
        RawGroupMember member = stableMember("non-empty", null);
        assertThat(commit(member.groupId(), member.generation(), member.memberId(), null, (short) 9)).isEqualTo(Errors.NONE);

        DeleteGroupsResponseData deleted = connection.call(ApiKeys.DELETE_GROUPS, (short) 2,
                new DeleteGroupsRequestData().setGroupsNames(List.of(member.groupId())));
        assertThat(Errors.forCode(deleted.results().find(member.groupId()).errorCode())).isEqualTo(Errors.NON_EMPTY_GROUP);
        OffsetDeleteResponseData offsetsDeleted = deleteOffsets(member.groupId(), TOPIC);
        assertThat(offsetsDeleted.errorCode()).isZero();
        assertThat(offsetsDeleted.topics().find(TOPIC).partitions())
                .allSatisfy(p -> assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC));

        assertHealthy(member);
    }

    @Test
    void shouldAnswerOffsetDeleteForUnknownTopicsAndAnEmptyGroupIdAsKafka() {
        RawGroupMember member = stableMember("offset-delete", null);

        assertThat(deleteOffsets(member.groupId(), "no-such-topic").topics().find("no-such-topic").partitions())
                .allSatisfy(p -> assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION));
        assertThat(Errors.forCode(deleteOffsets("", TOPIC).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);

        assertHealthy(member);
    }

    @Test
    void shouldKeepOffsetsCommittedUnderTheEmptyGroupIdAsKafkaDoes() {
        assertThat(commit("", -1, "", null, (short) 9)).isEqualTo(Errors.NONE);

        OffsetFetchResponseData.OffsetFetchResponseGroup fetched = fetch("", null, -1);
        assertThat(fetched.errorCode()).isZero();
        assertThat(fetched.topics().get(0).partitions()).extracting(OffsetFetchResponseData.OffsetFetchResponsePartitions::committedOffset)
                .containsOnly(1L);
        DeleteGroupsResponseData deleted = connection.call(ApiKeys.DELETE_GROUPS, (short) 2, new DeleteGroupsRequestData().setGroupsNames(List.of("")));
        assertThat(Errors.forCode(deleted.results().find("").errorCode())).isEqualTo(Errors.NONE);
    }

    // --- consumer protocol (KIP-848) ---

    @Test
    void shouldFenceAConsumerHeartbeatWithAWrongEpochOrAnUnknownMember() {
        ConsumerGroupHeartbeatResponseData joined = consumerJoin("epochs", "member-a");

        assertThat(consumerHeartbeat("epochs", "member-a", joined.memberEpoch() + 5).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(consumerHeartbeat("epochs", "member-b", joined.memberEpoch()).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(consumerHeartbeat("epochs", "member-b", -1).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(commit("epochs", joined.memberEpoch() + 5, "member-a", null, (short) 9)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commit("epochs", joined.memberEpoch(), "member-b", null, (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // Members of the consumer protocol must commit with v9+, as in Kafka.
        assertThat(commit("epochs", joined.memberEpoch(), "member-a", null, (short) 8)).isEqualTo(Errors.UNSUPPORTED_VERSION);

        ConsumerGroupHeartbeatResponseData again = consumerHeartbeat("epochs", "member-a", joined.memberEpoch());
        assertThat(again.errorCode()).isZero();
        assertThat(again.memberEpoch()).isEqualTo(joined.memberEpoch());
        assertThat(commit("epochs", joined.memberEpoch(), "member-a", null, (short) 9)).isEqualTo(Errors.NONE);
        assertThat(fetch("epochs", "member-a", joined.memberEpoch()).topics().get(0).partitions())
                .extracting(OffsetFetchResponseData.OffsetFetchResponsePartitions::committedOffset).containsOnly(1L);
    }

    @Test
    void shouldRefuseToDeleteANonEmptyConsumerGroupOrItsSubscribedOffsets() {
        ConsumerGroupHeartbeatResponseData joined = consumerJoin("consumer-non-empty", "member-a");
        assertThat(commit("consumer-non-empty", joined.memberEpoch(), "member-a", null, (short) 9)).isEqualTo(Errors.NONE);

        DeleteGroupsResponseData deleted = connection.call(ApiKeys.DELETE_GROUPS, (short) 2,
                new DeleteGroupsRequestData().setGroupsNames(List.of("consumer-non-empty")));
        assertThat(Errors.forCode(deleted.results().find("consumer-non-empty").errorCode())).isEqualTo(Errors.NON_EMPTY_GROUP);
        assertThat(deleteOffsets("consumer-non-empty", TOPIC).topics().find(TOPIC).partitions())
                .allSatisfy(p -> assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC));

        assertThat(consumerHeartbeat("consumer-non-empty", "member-a", joined.memberEpoch()).errorCode()).isZero();
    }

    @Test
    void shouldAnswerAClassicMemberOfAConsumerGroupWithKafkasErrors() {
        ConsumerGroupHeartbeatResponseData owner = consumerJoin("mixed-bad", "member-a");
        RawGroupMember classic = RawGroupMember.of(connection, "mixed-bad", null);
        JoinGroupResponseData joined = classic.join((short) 9, TOPIC, SESSION_TIMEOUT_MS);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.protocolName()).isEqualTo(RawGroupMember.PROTOCOL_NAME);
        assertThat(joined.leader()).as("the server assigns: no classic leader").isEmpty();
        assertThat(Errors.forCode(classic.sync((short) 5, ASSIGNED).errorCode())).isEqualTo(Errors.NONE);

        assertThat(heartbeat("mixed-bad", classic.generation(), "not-a-member", null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(heartbeat("mixed-bad", classic.generation() + 1, classic.memberId(), null)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(heartbeat("mixed-bad", owner.memberEpoch(), "member-a", null)).as("not a classic member").isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        SyncGroupResponseData otherProtocol = connection.call(ApiKeys.SYNC_GROUP, (short) 5,
                classic.syncRequest(ASSIGNED).setProtocolName("roundrobin"));
        assertThat(Errors.forCode(otherProtocol.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        JoinGroupResponseData otherType = connection.call(ApiKeys.JOIN_GROUP, (short) 9,
                RawGroupMember.of(connection, "mixed-bad", null).joinRequest(TOPIC, SESSION_TIMEOUT_MS).setProtocolType("connect"));
        assertThat(Errors.forCode(otherType.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        for (short version = 2; version <= 9; version++) {
            assertThat(commit("mixed-bad", classic.generation() + 1, classic.memberId(), null, version))
                    .as("OffsetCommit v%d", version).isEqualTo(Errors.ILLEGAL_GENERATION);
        }

        assertThat(heartbeat("mixed-bad", classic.generation(), classic.memberId(), null)).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS);
        assertThat(commit("mixed-bad", classic.generation(), classic.memberId(), null, (short) 8)).isEqualTo(Errors.NONE);
        assertThat(consumerHeartbeat("mixed-bad", "member-a", owner.memberEpoch()).errorCode()).isZero();
        ConsumerGroupDescribeResponseData described = connection.call(ApiKeys.CONSUMER_GROUP_DESCRIBE, (short) 1,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of("mixed-bad")));
        assertThat(described.groups().get(0).members()).extracting(ConsumerGroupDescribeResponseData.Member::memberType)
                .containsExactlyInAnyOrder((byte) 0, (byte) 1);
    }

    @Test
    void shouldAnswerConsumerGroupDescribeForAnEmptyOrUnknownGroupAsKafka() {
        ConsumerGroupDescribeResponseData response = connection.call(ApiKeys.CONSUMER_GROUP_DESCRIBE, (short) 1,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of("", "no-such-group")));

        assertThat(response.groups()).extracting(ConsumerGroupDescribeResponseData.DescribedGroup::errorCode)
                .containsExactly(Errors.INVALID_GROUP_ID.code(), Errors.GROUP_ID_NOT_FOUND.code());
    }

    // --- helpers ---

    private RawGroupMember stableMember(String groupId, String instanceId) {
        return RawGroupMember.of(connection, groupId, instanceId).joinAndSync(TOPIC, SESSION_TIMEOUT_MS, ASSIGNED);
    }

    /** The member still heartbeats in its generation, keeps its assignment, and commits and fetches offsets. */
    private void assertHealthy(RawGroupMember member) {
        assertThat(heartbeat(member.groupId(), member.generation(), member.memberId(), member.instanceId())).isEqualTo(Errors.NONE);
        SyncGroupResponseData resync = member.sync((short) 5, ASSIGNED);
        assertThat(resync.errorCode()).isZero();
        assertThat(resync.assignment()).isEqualTo(RawGroupMember.assignment(ASSIGNED));
        assertThat(commit(member.groupId(), member.generation(), member.memberId(), member.instanceId(), (short) 9)).isEqualTo(Errors.NONE);
        assertThat(fetch(member.groupId(), null, -1).topics().get(0).partitions())
                .extracting(OffsetFetchResponseData.OffsetFetchResponsePartitions::committedOffset).containsOnly(1L);
    }

    private Errors heartbeat(String groupId, int generation, String memberId, String instanceId) {
        HeartbeatResponseData response = connection.call(ApiKeys.HEARTBEAT, (short) 4, new HeartbeatRequestData()
                .setGroupId(groupId).setGenerationId(generation).setMemberId(memberId).setGroupInstanceId(instanceId));
        return Errors.forCode(response.errorCode());
    }

    private Errors leave(String groupId, String memberId, String instanceId) {
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(groupId);
        request.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId).setGroupInstanceId(instanceId));
        LeaveGroupResponseData response = connection.call(ApiKeys.LEAVE_GROUP, (short) 5, request);
        assertThat(response.errorCode()).isZero();
        return Errors.forCode(response.members().get(0).errorCode());
    }

    private OffsetCommitRequestData.OffsetCommitRequestTopic commitTopic(String name, Uuid id, int partition) {
        OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(name).setTopicId(id);
        topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition).setCommittedOffset(1));
        return topic;
    }

    private OffsetCommitRequestData commitRequest(String groupId, int generation, String memberId, String instanceId, short version) {
        OffsetCommitRequestData.OffsetCommitRequestTopic topic = version >= 10 ? commitTopic("", topicId, 0) : commitTopic(TOPIC, Uuid.ZERO_UUID, 0);
        topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(1));
        return new OffsetCommitRequestData().setGroupId(groupId).setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setGroupInstanceId(instanceId).setRetentionTimeMs(-1).setTopics(List.of(topic));
    }

    /** Commits offset 1 of both partitions and returns the (single) partition error. */
    private Errors commit(String groupId, int generation, String memberId, String instanceId, short version) {
        OffsetCommitResponseData response = connection.call(ApiKeys.OFFSET_COMMIT, version,
                commitRequest(groupId, generation, memberId, instanceId, version));
        List<Short> errors = response.topics().get(0).partitions().stream().map(OffsetCommitResponseData.OffsetCommitResponsePartition::errorCode)
                .distinct().toList();
        assertThat(errors).hasSize(1);
        return Errors.forCode(errors.get(0));
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String groupId, String memberId, int memberEpoch) {
        OffsetFetchResponseData response = connection.call(ApiKeys.OFFSET_FETCH, (short) 9, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(groupId).setMemberId(memberId).setMemberEpoch(memberEpoch)
                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC).setPartitionIndexes(List.of(0, 1)))))));
        assertThat(response.groups().get(0).errorCode()).isZero();
        return response.groups().get(0);
    }

    private OffsetDeleteResponseData deleteOffsets(String groupId, String topic) {
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(topic).setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        return connection.call(ApiKeys.OFFSET_DELETE, (short) 0, new OffsetDeleteRequestData().setGroupId(groupId).setTopics(topics));
    }

    private ConsumerGroupHeartbeatResponseData consumerJoin(String groupId, String memberId) {
        ConsumerGroupHeartbeatResponseData response = connection.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1, new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId).setMemberId(memberId).setMemberEpoch(0).setRebalanceTimeoutMs(SESSION_TIMEOUT_MS)
                .setSubscribedTopicNames(List.of(TOPIC)).setTopicPartitions(List.of()));
        assertThat(response.errorCode()).isZero();
        assertThat(response.assignment().topicPartitions()).singleElement().satisfies(t -> assertThat(t.partitions()).containsExactly(0, 1));
        return response;
    }

    private ConsumerGroupHeartbeatResponseData consumerHeartbeat(String groupId, String memberId, int epoch) {
        return connection.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1, new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId).setMemberId(memberId).setMemberEpoch(epoch));
    }
}
