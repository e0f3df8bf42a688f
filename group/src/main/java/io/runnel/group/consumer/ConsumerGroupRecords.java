package io.runnel.group.consumer;

import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/** Builds the records of a consumer group (Kafka's {@code GroupCoordinatorRecordHelpers}). Stateless. */
final class ConsumerGroupRecords {

    private ConsumerGroupRecords() {
    }

    static GroupRecord groupEpoch(String groupId, int epoch) {
        return GroupRecord.of(new GroupRecordKey.ConsumerGroupMetadata(groupId),
                new GroupRecordValue.ConsumerGroupMetadata(epoch));
    }

    static GroupRecord groupEpochTombstone(String groupId) {
        return GroupRecord.tombstone(new GroupRecordKey.ConsumerGroupMetadata(groupId));
    }

    static GroupRecord member(String groupId, ConsumerGroupMember member) {
        return GroupRecord.of(new GroupRecordKey.ConsumerGroupMember(groupId, member.memberId()), member.metadata());
    }

    static GroupRecord memberTombstone(String groupId, String memberId) {
        return GroupRecord.tombstone(new GroupRecordKey.ConsumerGroupMember(groupId, memberId));
    }

    static GroupRecord targetMember(String groupId, String memberId, Map<Uuid, Set<Integer>> partitions) {
        return GroupRecord.of(new GroupRecordKey.TargetAssignmentMember(groupId, memberId),
                new GroupRecordValue.TargetAssignmentMember(Assignments.copyOf(partitions)));
    }

    static GroupRecord targetMemberTombstone(String groupId, String memberId) {
        return GroupRecord.tombstone(new GroupRecordKey.TargetAssignmentMember(groupId, memberId));
    }

    static GroupRecord targetEpoch(String groupId, int epoch) {
        return GroupRecord.of(new GroupRecordKey.TargetAssignmentMetadata(groupId),
                new GroupRecordValue.TargetAssignmentMetadata(epoch));
    }

    static GroupRecord targetEpochTombstone(String groupId) {
        return GroupRecord.tombstone(new GroupRecordKey.TargetAssignmentMetadata(groupId));
    }

    static GroupRecord currentAssignment(String groupId, ConsumerGroupMember member) {
        return GroupRecord.of(new GroupRecordKey.CurrentAssignment(groupId, member.memberId()), member.assignment());
    }

    static GroupRecord currentAssignmentTombstone(String groupId, String memberId) {
        return GroupRecord.tombstone(new GroupRecordKey.CurrentAssignment(groupId, memberId));
    }
}
