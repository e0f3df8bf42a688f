package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.ConsumerGroupMigrationPolicy;
import io.runnel.group.GroupConfig;
import io.runnel.group.GroupCoordinator;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.classic.ClassicGroup;
import io.runnel.group.classic.ClassicGroupState;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.runtime.ManualScheduler;
import io.runnel.group.runtime.RecordingWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Online migration between the protocols, through the coordinator's API with a manual clock: a
 * classic group upgraded by a consumer-protocol member, its classic members reconciled through
 * JoinGroup/SyncGroup/Heartbeat, the downgrade when that member leaves, and the policy's refusals.
 */
class OnlineMigrationTest {

    private static final String GROUP = "mixed";
    private static final String TOPIC = "orders";
    private static final int SESSION_MS = 10_000;

    private final ManualScheduler scheduler = new ManualScheduler(1_000_000);
    private final RecordingWriter writer = new RecordingWriter();
    private final InMemoryTopicCatalog topics = new InMemoryTopicCatalog();

    OnlineMigrationTest() {
        topics.create(TOPIC, 6);
    }

    @Test
    void shouldUpgradeAClassicGroupAndDivideThePartitionsAmongAllMembers() {
        GroupCoordinator coordinator = coordinator(ConsumerGroupMigrationPolicy.BIDIRECTIONAL);
        List<ClassicClient> classics = formClassicGroup(coordinator);

        ConsumerClient newcomer = new ConsumerClient(coordinator, "c");
        assertThat(newcomer.join().errorCode()).isEqualTo(Errors.NONE.code());

        assertThat(coordinator.listGroups(new org.apache.kafka.common.message.ListGroupsRequestData()).groups().get(0).groupType())
                .isEqualTo("consumer");
        assertThat(writer.written()).anySatisfy(record -> {
            assertThat(record.key()).isEqualTo(new GroupRecordKey.ClassicGroup(GROUP));
            assertThat(record.value()).isNull();
        });
        settle(classics, newcomer);
        assertBalanced(classics, newcomer);
    }

    @Test
    void shouldRebuildTheUpgradedGroupFromItsRecords() {
        Upgraded upgraded = upgraded(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, null);
        GroupCoordinator coordinator = upgraded.coordinator();
        List<ClassicClient> classics = upgraded.classics();

        GroupCoordinator reloaded = coordinator(ConsumerGroupMigrationPolicy.BIDIRECTIONAL);
        writer.written().forEach(reloaded::replay);
        reloaded.onLoaded();

        List<ConsumerGroupDescribeMember> before = describe(coordinator);
        assertThat(describe(reloaded)).isEqualTo(before);
        assertThat(before).extracting(ConsumerGroupDescribeMember::classic).containsExactlyInAnyOrder(true, true, false);
        for (ClassicClient classic : classics) {
            assertThat(new ClassicClient(reloaded, classic).heartbeat()).isEqualTo(Errors.NONE);
        }
    }

    @Test
    void shouldDowngradeToAClassicGroupWhenTheLastConsumerProtocolMemberLeaves() {
        Upgraded upgraded = upgraded(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, null);
        GroupCoordinator coordinator = upgraded.coordinator();
        List<ClassicClient> classics = upgraded.classics();
        ConsumerClient newcomer = upgraded.newcomer();

        assertThat(newcomer.leave().errorCode()).isEqualTo(Errors.NONE.code());

        ClassicGroup downgraded = (ClassicGroup) coordinator.group(GROUP);
        assertThat(downgraded.state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(downgraded.members()).hasSize(2);
        for (ClassicClient classic : classics) {
            assertThat(classic.heartbeat()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        List<CompletableFuture<JoinGroupResponseData>> joins = new ArrayList<>();
        classics.forEach(classic -> joins.add(classic.joinAsync()));
        assertThat(joins).allSatisfy(join -> assertThat(join.getNow(null).errorCode()).isEqualTo(Errors.NONE.code()));
        syncClassicGroup(classics, joins);
        assertThat(downgraded.state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(classics.get(0).owned.size() + classics.get(1).owned.size()).isEqualTo(6);
    }

    @Test
    void shouldCancelTheConsumerGroupTimersOfEveryMemberOnDowngrade() {
        Upgraded upgraded = upgraded(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, null);
        List<ClassicClient> classics = upgraded.classics();
        assertThat(classics).allSatisfy(classic ->
                assertThat(scheduler.isScheduled(ConsumerGroupManager.sessionTimeoutKey(GROUP, classic.memberId))).isTrue());

        assertThat(upgraded.newcomer().leave().errorCode()).isEqualTo(Errors.NONE.code());

        // A timer of the consumer group left behind would fence the member if the group is upgraded again.
        assertThat(classics).allSatisfy(classic -> assertThat(List.of(
                ConsumerGroupManager.sessionTimeoutKey(GROUP, classic.memberId),
                ConsumerGroupManager.rebalanceTimeoutKey(GROUP, classic.memberId),
                ConsumerGroupManager.joinTimeoutKey(GROUP, classic.memberId),
                ConsumerGroupManager.syncTimeoutKey(GROUP, classic.memberId))).noneMatch(scheduler::isScheduled));
    }

    @Test
    void shouldDowngradeWhenAClassicStaticMemberReplacesTheLastConsumerProtocolMember() {
        GroupCoordinator coordinator = upgraded(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, "instance-c").coordinator();

        ClassicClient restarted = new ClassicClient(coordinator);
        restarted.instanceId = "instance-c";
        JoinGroupResponseData joined = restarted.joinAsync().getNow(null);

        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
        ClassicGroup downgraded = (ClassicGroup) coordinator.group(GROUP);
        assertThat(downgraded.members()).hasSize(3);
        assertThat(downgraded.staticMemberId("instance-c")).isEqualTo(joined.memberId());
        assertThat(downgraded.state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldKeepAConsumerGroupWhenDowngradesAreDisabled() {
        Upgraded upgraded = upgraded(ConsumerGroupMigrationPolicy.UPGRADE, null);
        GroupCoordinator coordinator = upgraded.coordinator();
        List<ClassicClient> classics = upgraded.classics();
        ConsumerClient newcomer = upgraded.newcomer();

        newcomer.leave();

        assertThat(coordinator.group(GROUP)).isInstanceOf(ConsumerGroup.class);
        settle(classics, null);
        assertThat(classics.get(0).owned.size() + classics.get(1).owned.size()).isEqualTo(6);
    }

    @Test
    void shouldRefuseTheUpgradeWhenMigrationIsDisabled() {
        GroupCoordinator coordinator = coordinator(ConsumerGroupMigrationPolicy.DISABLED);
        List<ClassicClient> classics = formClassicGroup(coordinator);

        ConsumerGroupHeartbeatResponseData refused = new ConsumerClient(coordinator, "c").join();

        assertThat(refused.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(refused.errorMessage()).isEqualTo("Group mixed is not a consumer group.");
        assertThat(coordinator.group(GROUP)).isInstanceOf(ClassicGroup.class);
        assertThat(classics.get(0).heartbeat()).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAnswerAClassicMembersBadRequestsWithKafkasErrors() {
        Upgraded upgraded = upgraded(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, null);
        GroupCoordinator coordinator = upgraded.coordinator();
        List<ClassicClient> classics = upgraded.classics();
        ConsumerClient newcomer = upgraded.newcomer();
        ClassicClient member = classics.get(0);

        assertThat(heartbeat(coordinator, "nobody", member.generation)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(heartbeat(coordinator, member.memberId, member.generation + 5)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(heartbeat(coordinator, newcomer.memberId, newcomer.epoch)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit(coordinator, member.memberId, member.generation + 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit(coordinator, member.memberId, member.generation)).isEqualTo(Errors.NONE);
        assertThat(member.heartbeat()).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldFenceASilentClassicMemberAfterItsOwnSessionTimeout() {
        Upgraded upgraded = upgraded(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, null);
        GroupCoordinator coordinator = upgraded.coordinator();
        List<ClassicClient> classics = upgraded.classics();
        ConsumerClient newcomer = upgraded.newcomer();

        scheduler.advance(SESSION_MS / 2);
        newcomer.heartbeat();
        classics.get(1).heartbeat();
        scheduler.advance(SESSION_MS / 2 + 1);

        ConsumerGroup group = (ConsumerGroup) coordinator.group(GROUP);
        assertThat(group.members()).containsOnlyKeys(newcomer.memberId, classics.get(1).memberId);
    }

    // ---- fixtures ----

    /** A classic group upgraded by consumer-protocol member "c", settled. */
    private record Upgraded(GroupCoordinator coordinator, List<ClassicClient> classics, ConsumerClient newcomer) { }

    private Upgraded upgraded(ConsumerGroupMigrationPolicy policy, String newcomerInstanceId) {
        GroupCoordinator coordinator = coordinator(policy);
        List<ClassicClient> classics = formClassicGroup(coordinator);
        ConsumerClient newcomer = new ConsumerClient(coordinator, "c");
        newcomer.instanceId = newcomerInstanceId;
        newcomer.join();
        settle(classics, newcomer);
        return new Upgraded(coordinator, classics, newcomer);
    }

    private GroupCoordinator coordinator(ConsumerGroupMigrationPolicy policy) {
        GroupConfig defaults = GroupConfig.defaults();
        GroupConfig config = new GroupConfig(50, defaults.offsetsRetentionMs(), defaults.offsetsRetentionCheckIntervalMs(), 4096,
                1000, 300_000, 0, 100, 45_000, 45_000, 60_000, 5000, 100, List.of("uniform", "range"))
                .withConsumerMigrationPolicy(policy);
        return new GroupCoordinator(config, scheduler, writer, topics);
    }

    /** Two cooperative classic members, Stable at generation 1 with three partitions each. */
    private List<ClassicClient> formClassicGroup(GroupCoordinator coordinator) {
        List<ClassicClient> classics = List.of(new ClassicClient(coordinator), new ClassicClient(coordinator));
        List<CompletableFuture<JoinGroupResponseData>> joins = new ArrayList<>();
        classics.forEach(classic -> joins.add(classic.joinAsync()));
        scheduler.advance(1);
        syncClassicGroup(classics, joins);
        return classics;
    }

    /** Completes a classic rebalance: the leader assigns partitions 0-2 and 3-5. */
    private static void syncClassicGroup(List<ClassicClient> classics, List<CompletableFuture<JoinGroupResponseData>> joins) {
        for (int i = 0; i < classics.size(); i++) {
            classics.get(i).joined(joins.get(i).getNow(null));
        }
        Map<String, byte[]> assignments = new HashMap<>();
        for (int i = 0; i < classics.size(); i++) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = i * 3; p < i * 3 + 3; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            assignments.put(classics.get(i).memberId, bytes(ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(partitions))));
        }
        List<CompletableFuture<SyncGroupResponseData>> syncs = new ArrayList<>();
        for (int i = 0; i < classics.size(); i++) {
            JoinGroupResponseData join = joins.get(i).getNow(null);
            syncs.add(classics.get(i).syncAsync(join.leader().equals(join.memberId()) ? assignments : Map.of()));
        }
        for (int i = 0; i < classics.size(); i++) {
            classics.get(i).synced(syncs.get(i).getNow(null));
        }
    }

    /** Heartbeats every member, rejoining classic members when told to, until the group is Stable. */
    private static void settle(List<ClassicClient> classics, ConsumerClient consumer) {
        for (int round = 0; round < 20; round++) {
            for (ClassicClient classic : classics) {
                if (classic.heartbeat() == Errors.REBALANCE_IN_PROGRESS) {
                    classic.joined(classic.joinAsync().getNow(null));
                    classic.synced(classic.syncAsync(Map.of()).getNow(null));
                }
            }
            if (consumer != null) {
                consumer.heartbeat();
            }
            assertDisjoint(classics, consumer);
            ConsumerGroup group = (ConsumerGroup) classics.get(0).coordinator.group(GROUP);
            if (group.state() == ConsumerGroupState.STABLE) {
                return;
            }
        }
        throw new AssertionError("the group did not settle");
    }

    private static void assertDisjoint(List<ClassicClient> classics, ConsumerClient consumer) {
        Set<TopicPartition> seen = new HashSet<>();
        for (ClassicClient classic : classics) {
            classic.owned.forEach(partition -> assertThat(seen.add(partition)).as("%s owned twice", partition).isTrue());
        }
        if (consumer != null) {
            consumer.owned.forEach(partition -> assertThat(seen.add(partition)).as("%s owned twice", partition).isTrue());
        }
    }

    private static void assertBalanced(List<ClassicClient> classics, ConsumerClient consumer) {
        Set<TopicPartition> all = new HashSet<>(consumer.owned);
        assertThat(consumer.owned).hasSize(2);
        for (ClassicClient classic : classics) {
            assertThat(classic.owned).hasSize(2);
            all.addAll(classic.owned);
        }
        assertThat(all).hasSize(6);
    }

    private static Errors heartbeat(GroupCoordinator coordinator, String memberId, int generation) {
        return Errors.forCode(coordinator.heartbeat(new GroupRequestContext("c", "/h", (short) 4),
                new HeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setGenerationId(generation)).errorCode());
    }

    private static Errors commit(GroupCoordinator coordinator, String memberId, int generation) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(TOPIC).setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(5)))));
        return Errors.forCode(coordinator.offsetCommit(new GroupRequestContext("c", "/h", (short) 8), request)
                .topics().get(0).partitions().get(0).errorCode());
    }

    private static List<ConsumerGroupDescribeMember> describe(GroupCoordinator coordinator) {
        List<ConsumerGroupDescribeMember> members = new ArrayList<>();
        coordinator.consumerGroupDescribe(List.of(GROUP)).get(0).members().forEach(member -> members.add(new ConsumerGroupDescribeMember(
                member.memberId(), member.memberEpoch(), member.memberType() == 0, member.assignment().toString())));
        members.sort((a, b) -> a.memberId().compareTo(b.memberId()));
        return members;
    }

    private record ConsumerGroupDescribeMember(String memberId, int epoch, boolean classic, String assignment) { }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** A cooperative classic consumer: its subscription lists the partitions it owns. */
    private static final class ClassicClient {
        final GroupCoordinator coordinator;
        String memberId = "";
        String instanceId;
        int generation = -1;
        List<TopicPartition> owned = List.of();

        ClassicClient(GroupCoordinator coordinator) {
            this.coordinator = coordinator;
        }

        /** The same client talking to another coordinator (after a reload). */
        ClassicClient(GroupCoordinator coordinator, ClassicClient other) {
            this(coordinator);
            memberId = other.memberId;
            generation = other.generation;
            owned = other.owned;
        }

        CompletableFuture<JoinGroupResponseData> joinAsync() {
            JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("cooperative-sticky").setMetadata(bytes(
                    ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of(TOPIC), null, owned)))));
            JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId)
                    .setGroupInstanceId(instanceId).setProtocolType("consumer").setSessionTimeoutMs(SESSION_MS).setRebalanceTimeoutMs(60_000).setProtocols(protocols);
            CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
            coordinator.joinGroup(new GroupRequestContext("classic", "/h", (short) 9), request, response);
            JoinGroupResponseData answered = response.getNow(null);
            if (answered != null && answered.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
                memberId = answered.memberId();
                return joinAsync();
            }
            return response;
        }

        void joined(JoinGroupResponseData response) {
            assertThat(response.errorCode()).as("JoinGroup error").isEqualTo(Errors.NONE.code());
            memberId = response.memberId();
            generation = response.generationId();
        }

        CompletableFuture<SyncGroupResponseData> syncAsync(Map<String, byte[]> assignments) {
            List<SyncGroupRequestData.SyncGroupRequestAssignment> list = new ArrayList<>();
            assignments.forEach((id, bytes) -> list.add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(id).setAssignment(bytes)));
            CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
            coordinator.syncGroup(new GroupRequestContext("classic", "/h", (short) 5), new SyncGroupRequestData().setGroupId(GROUP)
                    .setMemberId(memberId).setGenerationId(generation).setProtocolType("consumer").setProtocolName("cooperative-sticky")
                    .setAssignments(list), response);
            return response;
        }

        void synced(SyncGroupResponseData response) {
            assertThat(response.errorCode()).as("SyncGroup error").isEqualTo(Errors.NONE.code());
            owned = List.copyOf(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(response.assignment())).partitions());
        }

        Errors heartbeat() {
            return OnlineMigrationTest.heartbeat(coordinator, memberId, generation);
        }
    }

    /** A consumer-protocol member that adopts each assignment at once. */
    private static final class ConsumerClient {
        final GroupCoordinator coordinator;
        String memberId;
        String instanceId;
        int epoch;
        Set<TopicPartition> owned = Set.of();

        ConsumerClient(GroupCoordinator coordinator, String memberId) {
            this.coordinator = coordinator;
            this.memberId = memberId;
        }

        ConsumerGroupHeartbeatResponseData join() {
            return send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(0)
                    .setInstanceId(instanceId).setRebalanceTimeoutMs(60_000).setSubscribedTopicNames(List.of(TOPIC)).setTopicPartitions(new ArrayList<>()));
        }

        ConsumerGroupHeartbeatResponseData heartbeat() {
            return send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch)
                    .setInstanceId(instanceId));
        }

        ConsumerGroupHeartbeatResponseData leave() {
            return send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(-1)
                    .setInstanceId(instanceId));
        }

        private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
            ConsumerGroupHeartbeatResponseData response = coordinator.consumerGroupHeartbeat(
                    new GroupRequestContext("consumer", "/h", (short) 1), request);
            if (response.errorCode() == Errors.NONE.code() && response.memberEpoch() >= 0) {
                epoch = response.memberEpoch();
                if (response.assignment() != null) {
                    Set<TopicPartition> assigned = new HashSet<>();
                    response.assignment().topicPartitions().forEach(topic -> topic.partitions().forEach(p -> assigned.add(new TopicPartition(TOPIC, p))));
                    owned = assigned;
                }
            }
            return response;
        }
    }
}
