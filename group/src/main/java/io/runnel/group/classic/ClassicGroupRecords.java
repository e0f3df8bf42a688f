package io.runnel.group.classic;

import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue.ClassicProtocol;
import io.runnel.group.record.GroupRecordValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts between a classic group and its {@code GroupMetadata} record, as Kafka writes it: the
 * generation, protocol type and name, leader, state timestamp, and each member with the chosen
 * protocol's metadata and its assignment.
 */
final class ClassicGroupRecords {

    private ClassicGroupRecords() {
    }

    /** The group's record with {@code assignments} (by member id) in place of the members' current ones. */
    static GroupRecord record(ClassicGroup group, Map<String, byte[]> assignments) {
        List<GroupRecordValue.ClassicMember> members = new ArrayList<>(group.size());
        for (ClassicGroupMember member : group.members()) {
            byte[] assignment = assignments.get(member.memberId());
            if (assignment == null || group.protocolName() == null) {
                throw new IllegalStateException("Cannot persist member " + member.memberId() + " of " + group.groupId()
                        + " without a protocol and an assignment");
            }
            members.add(new GroupRecordValue.ClassicMember(member.memberId(), member.groupInstanceId(),
                    member.clientId(), member.clientHost(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs(),
                    member.metadata(group.protocolName()), assignment));
        }
        return GroupRecord.of(new GroupRecordKey.ClassicGroup(group.groupId()),
                new GroupRecordValue.ClassicGroup(group.protocolType(), group.generationId(), group.protocolName(),
                        group.leaderId(), group.currentStateTimestampMs(), members));
    }

    /** The record of a group without members (a new group, or one whose members all left). */
    static GroupRecord emptyRecord(ClassicGroup group) {
        return record(group, Map.of());
    }

    /**
     * The group a record describes: Stable with its members, or Empty without. Each member supports
     * just the persisted protocol; a missing (-1) rebalance timeout falls back to the session timeout.
     */
    static ClassicGroup group(String groupId, GroupRecordValue.ClassicGroup value) {
        String protocolType = value.protocolType() == null || value.protocolType().isEmpty() ? null : value.protocolType();
        ClassicGroup group = new ClassicGroup(groupId,
                value.members().isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE,
                value.generationId(), protocolType, value.protocolName(), value.leaderId(),
                value.currentStateTimestampMs());
        for (GroupRecordValue.ClassicMember persisted : value.members()) {
            int rebalanceTimeoutMs = persisted.rebalanceTimeoutMs() == -1
                    ? persisted.sessionTimeoutMs() : persisted.rebalanceTimeoutMs();
            group.add(new ClassicGroupMember(persisted.memberId(), persisted.groupInstanceId(), persisted.clientId(),
                    persisted.clientHost(), rebalanceTimeoutMs, persisted.sessionTimeoutMs(), value.protocolType(),
                    List.of(new ClassicProtocol(value.protocolName(), persisted.subscription())),
                    persisted.assignment()), null);
        }
        group.refreshSubscribedTopics();
        return group;
    }
}
