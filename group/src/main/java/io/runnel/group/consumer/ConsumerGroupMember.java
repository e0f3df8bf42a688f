package io.runnel.group.consumer;

import io.runnel.group.record.GroupRecordValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * A member of a consumer group: its metadata (the ConsumerGroupMember record) and its current
 * assignment (the CurrentAssignment record). Immutable; a change produces a new member. Confined to
 * the coordinator thread like the group that holds it.
 *
 * @param metadata   subscription and client details; {@code subscribedTopicNames} is sorted and distinct
 * @param assignment epochs, reconciliation state and owned partitions
 */
public record ConsumerGroupMember(String memberId,
                                  GroupRecordValue.ConsumerGroupMember metadata,
                                  GroupRecordValue.CurrentAssignment assignment) {

    /** The epoch of a member that left (and the epoch a tombstoned current assignment leaves behind). */
    public static final int LEAVE_GROUP_MEMBER_EPOCH = -1;
    /** The epoch of a static member that left temporarily and keeps its partitions. */
    public static final int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

    public ConsumerGroupMember {
        Objects.requireNonNull(memberId, "memberId");
        metadata = normalize(metadata);
        assignment = normalize(assignment);
    }

    /** A member that has just been created: no subscription, epoch 0, no partitions. */
    public static ConsumerGroupMember newMember(String memberId) {
        return new ConsumerGroupMember(memberId,
                new GroupRecordValue.ConsumerGroupMember(null, null, "", "", List.of(), null, -1, null),
                new GroupRecordValue.CurrentAssignment(0, 0, MemberState.STABLE.value(), Assignments.EMPTY, Assignments.EMPTY));
    }

    /** This member with other metadata. */
    public ConsumerGroupMember withMetadata(GroupRecordValue.ConsumerGroupMember newMetadata) {
        return new ConsumerGroupMember(memberId, newMetadata, assignment);
    }

    /** This member with another current assignment. */
    public ConsumerGroupMember withAssignment(GroupRecordValue.CurrentAssignment newAssignment) {
        return new ConsumerGroupMember(memberId, metadata, newAssignment);
    }

    /** This member under another id, as a static member that rejoins under a new member id. */
    public ConsumerGroupMember withMemberId(String newMemberId) {
        return new ConsumerGroupMember(newMemberId, metadata, assignment);
    }

    /** The static member's instance id, or null. */
    public String instanceId() {
        return metadata.instanceId();
    }

    /** The subscribed topic names, sorted and distinct. */
    public List<String> subscribedTopicNames() {
        return metadata.subscribedTopicNames();
    }

    /** The subscribed regular expression, or null. */
    public String subscribedTopicRegex() {
        return metadata.subscribedTopicRegex();
    }

    /** The assignor this member asked for, or null. */
    public String serverAssignor() {
        return metadata.serverAssignor();
    }

    /** How long the member may take to revoke partitions. */
    public int rebalanceTimeoutMs() {
        return metadata.rebalanceTimeoutMs();
    }

    /** Whether the member speaks the classic protocol (JoinGroup, SyncGroup, Heartbeat) inside this consumer group. */
    public boolean useClassicProtocol() {
        return metadata.classicMemberMetadata() != null;
    }

    /** The classic member's session timeout and protocols; null for a member of the consumer protocol. */
    public GroupRecordValue.ClassicMemberMetadata classicMetadata() {
        return metadata.classicMemberMetadata();
    }

    /** The member epoch. */
    public int memberEpoch() {
        return assignment.memberEpoch();
    }

    /** The epoch before the last epoch change. */
    public int previousMemberEpoch() {
        return assignment.previousMemberEpoch();
    }

    /** The reconciliation state. */
    public MemberState state() {
        return MemberState.fromValue(assignment.state());
    }

    /** The partitions the member owns and may use. */
    public Map<Uuid, Set<Integer>> assignedPartitions() {
        return assignment.assignedPartitions();
    }

    /** The partitions the member still owns but must give up. */
    public Map<Uuid, Set<Integer>> partitionsPendingRevocation() {
        return assignment.partitionsPendingRevocation();
    }

    /** Whether the member owns exactly its target assignment of {@code targetAssignmentEpoch}. */
    public boolean isReconciledTo(int targetAssignmentEpoch) {
        return state() == MemberState.STABLE && memberEpoch() == targetAssignmentEpoch;
    }

    /** Whether the subscription (names or regex) differs from {@code other}'s. */
    public boolean hasSubscriptionChangedFrom(ConsumerGroupMember other) {
        return !subscribedTopicNames().equals(other.subscribedTopicNames())
                || !Objects.equals(subscribedTopicRegex(), other.subscribedTopicRegex());
    }

    private static GroupRecordValue.ConsumerGroupMember normalize(GroupRecordValue.ConsumerGroupMember metadata) {
        Objects.requireNonNull(metadata, "metadata");
        List<String> names = metadata.subscribedTopicNames() == null
                ? List.of() : List.copyOf(new TreeSet<>(metadata.subscribedTopicNames()));
        return new GroupRecordValue.ConsumerGroupMember(metadata.instanceId(), metadata.rackId(),
                metadata.clientId(), metadata.clientHost(), names, metadata.subscribedTopicRegex(),
                metadata.rebalanceTimeoutMs(), metadata.serverAssignor(), metadata.classicMemberMetadata());
    }

    private static GroupRecordValue.CurrentAssignment normalize(GroupRecordValue.CurrentAssignment assignment) {
        Objects.requireNonNull(assignment, "assignment");
        return new GroupRecordValue.CurrentAssignment(assignment.memberEpoch(), assignment.previousMemberEpoch(),
                assignment.state(), Assignments.copyOf(assignment.assignedPartitions()),
                Assignments.copyOf(assignment.partitionsPendingRevocation()));
    }
}
