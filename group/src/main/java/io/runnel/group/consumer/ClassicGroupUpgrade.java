package io.runnel.group.consumer;

import io.runnel.group.Group;
import io.runnel.group.GroupRegistry;
import io.runnel.group.TopicCatalog;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Kafka's {@code ConsumerGroup.fromClassicGroup} and {@code createConsumerGroupRecords}: the records
 * that replace a classic group by a consumer group of the same members, each Stable at the classic
 * generation, owning (and targeted at) the partitions of its last SyncGroup assignment, and keeping
 * its session timeout and JoinGroup protocols so it goes on speaking the classic protocol. Stateless.
 */
final class ClassicGroupUpgrade {

    private ClassicGroupUpgrade() {
    }

    /**
     * Adds to {@code records} the classic group's tombstone and the consumer group's records.
     *
     * @return the consumer group those records describe (not registered: it is built by replaying
     *         them into a scratch registry, the same code that applies them once written)
     * @throws GroupIdNotFoundException if a member's subscription or assignment does not parse, as Kafka answers
     */
    static ConsumerGroup convert(Group classicGroup, ClassicGroupBridge.ClassicGroupSnapshot snapshot, TopicCatalog topics,
                                 List<GroupRecord> records) {
        String groupId = classicGroup.groupId();
        int epoch = snapshot.generationId();
        List<ConsumerGroupMember> members = new ArrayList<>();
        try {
            for (ClassicGroupBridge.ClassicMemberSnapshot classic : snapshot.members()) {
                members.add(member(classic, epoch, snapshot, topics));
            }
        } catch (ApiException e) {
            throw new GroupIdNotFoundException("Cannot upgrade the classic group " + groupId
                    + " to consumer group because the embedded consumer protocol is malformed.");
        }
        List<GroupRecord> conversion = new ArrayList<>();
        members.forEach(member -> conversion.add(ConsumerGroupRecords.member(groupId, member)));
        conversion.add(ConsumerGroupRecords.groupEpoch(groupId, epoch));
        members.forEach(member -> conversion.add(ConsumerGroupRecords.targetMember(groupId, member.memberId(), member.assignedPartitions())));
        conversion.add(ConsumerGroupRecords.targetEpoch(groupId, epoch));
        members.forEach(member -> conversion.add(ConsumerGroupRecords.currentAssignment(groupId, member)));

        ConsumerGroupReplayer scratch = new ConsumerGroupReplayer(new GroupRegistry());
        ConsumerGroup converted;
        try {
            conversion.forEach(scratch::replay);
            converted = scratch.group(groupId);
        } catch (IllegalStateException e) {
            // Two members claim one partition: the classic assignment cannot be taken over as it is.
            throw new GroupIdNotFoundException("Cannot upgrade the classic group " + groupId
                    + " to consumer group: " + e.getMessage());
        }
        records.addAll(classicGroup.tombstones());
        records.addAll(conversion);
        return converted;
    }

    private static ConsumerGroupMember member(ClassicGroupBridge.ClassicMemberSnapshot classic, int epoch,
                                              ClassicGroupBridge.ClassicGroupSnapshot snapshot, TopicCatalog topics) {
        byte[] metadata = classic.protocols().stream().filter(p -> p.name().equals(snapshot.protocolName()))
                .findFirst().map(GroupRecordValue.ClassicProtocol::metadata)
                .orElseThrow(() -> new GroupIdNotFoundException("member " + classic.memberId() + " lacks the group's protocol"));
        ConsumerPartitionAssignor.Subscription subscription = EmbeddedConsumerProtocol.subscription(metadata);
        Map<Uuid, Set<Integer>> assigned = EmbeddedConsumerProtocol.assignment(snapshot.assignments().get(classic.memberId()), topics);
        GroupRecordValue.ConsumerGroupMember memberMetadata = new GroupRecordValue.ConsumerGroupMember(classic.instanceId(),
                subscription.rackId().orElse(null), classic.clientId(), classic.clientHost(), subscription.topics(), null,
                classic.rebalanceTimeoutMs(), null,
                new GroupRecordValue.ClassicMemberMetadata(classic.sessionTimeoutMs(), classic.protocols()));
        return new ConsumerGroupMember(classic.memberId(), memberMetadata, new GroupRecordValue.CurrentAssignment(
                epoch, epoch, MemberState.STABLE.value(), assigned, Assignments.EMPTY));
    }
}
