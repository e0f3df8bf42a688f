package io.runnel.group.consumer;

import io.runnel.group.Group;
import io.runnel.group.GroupRegistry;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;

/**
 * Applies consumer-group records to the groups in the registry, as Kafka's
 * {@code GroupMetadataManager.replay} overloads do. Used both after a successful write and when the
 * coordinator loads its partition. A record with a value for a group id held by a group of the other
 * protocol replaces that group (the conversion of an empty classic group). Records of other kinds
 * are ignored. Confined to the coordinator thread.
 */
final class ConsumerGroupReplayer {

    private final GroupRegistry groups;

    ConsumerGroupReplayer(GroupRegistry groups) {
        this.groups = groups;
    }

    void replay(GroupRecord record) {
        GroupRecordKey key = record.key();
        GroupRecordValue value = record.value();
        if (key instanceof GroupRecordKey.ConsumerGroupMetadata k) {
            replayGroupEpoch(k.groupId(), (GroupRecordValue.ConsumerGroupMetadata) value);
        } else if (key instanceof GroupRecordKey.ConsumerGroupMember k) {
            replayMember(k.groupId(), k.memberId(), (GroupRecordValue.ConsumerGroupMember) value);
        } else if (key instanceof GroupRecordKey.TargetAssignmentMember k) {
            replayTargetMember(k.groupId(), k.memberId(), (GroupRecordValue.TargetAssignmentMember) value);
        } else if (key instanceof GroupRecordKey.TargetAssignmentMetadata k) {
            replayTargetEpoch(k.groupId(), (GroupRecordValue.TargetAssignmentMetadata) value);
        } else if (key instanceof GroupRecordKey.CurrentAssignment k) {
            replayCurrentAssignment(k.groupId(), k.memberId(), (GroupRecordValue.CurrentAssignment) value);
        }
    }

    private void replayGroupEpoch(String groupId, GroupRecordValue.ConsumerGroupMetadata value) {
        if (value != null) {
            group(groupId, true).setGroupEpoch(value.epoch());
            return;
        }
        ConsumerGroup group = group(groupId, false);
        if (group != null) {
            group.markDead();
            groups.remove(groupId);
        }
    }

    private void replayMember(String groupId, String memberId, GroupRecordValue.ConsumerGroupMember value) {
        ConsumerGroup group = group(groupId, value != null);
        if (group == null) {
            return;
        }
        if (value == null) {
            group.removeMember(memberId);
            return;
        }
        group.updateMember(memberOrNew(group, memberId).withMetadata(value));
    }

    private void replayTargetMember(String groupId, String memberId, GroupRecordValue.TargetAssignmentMember value) {
        ConsumerGroup group = group(groupId, value != null);
        if (group == null) {
            return;
        }
        if (value == null) {
            group.removeTargetAssignment(memberId);
        } else {
            group.updateTargetAssignment(memberId, value.partitions());
        }
    }

    private void replayTargetEpoch(String groupId, GroupRecordValue.TargetAssignmentMetadata value) {
        ConsumerGroup group = group(groupId, value != null);
        if (group != null) {
            group.setAssignmentEpoch(value == null ? -1 : value.assignmentEpoch());
        }
    }

    private void replayCurrentAssignment(String groupId, String memberId, GroupRecordValue.CurrentAssignment value) {
        ConsumerGroup group = group(groupId, value != null);
        if (group == null) {
            return;
        }
        if (value != null) {
            group.updateMember(memberOrNew(group, memberId).withAssignment(value));
            return;
        }
        ConsumerGroupMember member = group.member(memberId);
        if (member != null) {
            // As Kafka: the member keeps its metadata until its own tombstone, but owns nothing.
            group.updateMember(member.withAssignment(new GroupRecordValue.CurrentAssignment(
                    ConsumerGroupMember.LEAVE_GROUP_MEMBER_EPOCH, member.memberEpoch(), MemberState.STABLE.value(),
                    Assignments.EMPTY, Assignments.EMPTY)));
        }
    }

    private static ConsumerGroupMember memberOrNew(ConsumerGroup group, String memberId) {
        ConsumerGroupMember member = group.member(memberId);
        return member != null ? member : ConsumerGroupMember.newMember(memberId);
    }

    /** The consumer group {@code groupId} in the registry, or null. */
    ConsumerGroup group(String groupId) {
        return group(groupId, false);
    }

    /** The consumer group {@code groupId}; created (replacing a group of the other protocol) if asked. */
    private ConsumerGroup group(String groupId, boolean create) {
        Group existing = groups.get(groupId);
        if (existing instanceof ConsumerGroup consumerGroup) {
            return consumerGroup;
        }
        if (!create) {
            return null;
        }
        ConsumerGroup created = new ConsumerGroup(groupId);
        groups.put(created);
        return created;
    }
}
