package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupRegistry;
import io.runnel.group.consumer.ClassicGroupBridge;
import io.runnel.group.record.GroupRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The classic side of online migration: a classic group read for an upgrade and retired once its
 * consumer group is written (Kafka's {@code convertToConsumerGroup}), and the classic group a
 * consumer group downgrades to, built as Kafka's {@code ClassicGroup.fromConsumerGroup} builds it.
 * Confined to the coordinator thread.
 */
final class ClassicGroupMigration implements ClassicGroupBridge {

    private final GroupRegistry groups;
    private final ClassicRebalancer rebalancer;

    ClassicGroupMigration(GroupRegistry groups, ClassicRebalancer rebalancer) {
        this.groups = groups;
        this.rebalancer = rebalancer;
    }

    @Override
    public ClassicGroupSnapshot snapshot(Group group) {
        if (!(group instanceof ClassicGroup classic) || classic.isEmpty() || !classic.usesConsumerProtocol()
                || classic.protocolName() == null) {
            return null;
        }
        List<ClassicMemberSnapshot> members = new ArrayList<>();
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        for (ClassicGroupMember member : classic.members()) {
            members.add(new ClassicMemberSnapshot(member.memberId(), member.groupInstanceId(), member.clientId(),
                    member.clientHost(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs(), member.protocols()));
            assignments.put(member.memberId(), member.assignment());
        }
        return new ClassicGroupSnapshot(classic.generationId(), classic.protocolName(), members, assignments);
    }

    @Override
    public void retire(Group group) {
        ClassicGroup classic = (ClassicGroup) group;
        rebalancer.cancelTimers(classic);
        for (ClassicGroupMember member : List.copyOf(classic.members())) {
            classic.completeJoin(member, ClassicResponses.joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
            classic.completeSync(member, new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
        }
    }

    @Override
    public PreparedClassicGroup prepare(String groupId, int generationId, List<ClassicMemberSnapshot> members,
                                        Map<String, List<TopicPartition>> assignments) {
        ClassicGroup group = new ClassicGroup(groupId, ClassicGroupState.STABLE, generationId, ConsumerProtocol.PROTOCOL_TYPE,
                null, null, rebalancer.nowMs());
        for (ClassicMemberSnapshot snapshot : members) {
            group.add(new ClassicGroupMember(snapshot.memberId(), snapshot.instanceId(), snapshot.clientId(), snapshot.clientHost(),
                    snapshot.rebalanceTimeoutMs(), snapshot.sessionTimeoutMs(), ConsumerProtocol.PROTOCOL_TYPE, snapshot.protocols(),
                    ClassicGroupMember.EMPTY_ASSIGNMENT), null);
        }
        group.setProtocolName(group.selectProtocol());
        for (ClassicGroupMember member : group.members()) {
            // The assignment in the version of the member's subscription, as its assignor expects.
            short version = ConsumerProtocol.deserializeVersion(ByteBuffer.wrap(member.metadata(group.protocolName())));
            ByteBuffer bytes = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
                    assignments.getOrDefault(member.memberId(), List.of())), version);
            byte[] assignment = new byte[bytes.remaining()];
            bytes.get(assignment);
            member.setAssignment(assignment);
        }
        GroupRecord record = ClassicGroupRecords.record(group, group.assignments());
        return new PreparedClassicGroup() {
            @Override
            public GroupRecord record() {
                return record;
            }

            @Override
            public void install() {
                groups.put(group);
                group.members().forEach(member -> rebalancer.scheduleHeartbeat(group, member));
                rebalancer.prepareRebalance(group, "downgrade of group " + groupId + " from consumer to classic");
            }
        };
    }
}
