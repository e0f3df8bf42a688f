package io.runnel.group.consumer;

import io.runnel.group.record.GroupRecordValue;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;

/**
 * The reconciliation step of Kafka's {@code CurrentAssignmentBuilder}: moves one member's current
 * assignment one step towards its target. Partitions to give up are revoked first, and the member
 * stays in its epoch until it reports them gone; only then does it move to the target epoch and
 * receive the target partitions no other member still owns. Stateless per call.
 */
final class CurrentAssignmentBuilder {

    /** Returns the epoch of the member owning a partition, or -1 if the partition is free. */
    interface PartitionEpochs {
        int epochOf(Uuid topicId, int partition);
    }

    private CurrentAssignmentBuilder() {
    }

    /**
     * The member after one reconciliation step, or {@code member} itself when nothing can change.
     *
     * @param owned the partitions the member reported in this heartbeat, or null if it did not
     * @throws FencedMemberEpochException if the member is in a state this coordinator does not know
     *                                    and still owns partitions
     */
    static ConsumerGroupMember reconcile(ConsumerGroupMember member, int targetEpoch, Map<Uuid, Set<Integer>> target,
                                         PartitionEpochs epochs,
                                         List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        switch (member.state()) {
            case STABLE:
                return member.memberEpoch() != targetEpoch
                        ? computeNext(member, member.memberEpoch(), targetEpoch, target, epochs, owned)
                        : member;
            case UNREVOKED_PARTITIONS:
                if (Assignments.ownsAnyOf(owned, member.partitionsPendingRevocation())) {
                    return member;
                }
                // Revocation acknowledged: the member moves on by one epoch, towards the target.
                return computeNext(member, Math.min(member.memberEpoch() + 1, targetEpoch), targetEpoch, target, epochs, owned);
            case UNRELEASED_PARTITIONS:
                return computeNext(member, member.memberEpoch(), targetEpoch, target, epochs, owned);
            default:
                if (owned == null || !owned.isEmpty()) {
                    throw new FencedMemberEpochException("The consumer group member is in a unknown state. "
                            + "The member must abandon all its partitions and rejoin.");
                }
                return computeNext(member, targetEpoch, targetEpoch, target, epochs, owned);
        }
    }

    private static ConsumerGroupMember computeNext(ConsumerGroupMember member, int memberEpoch, int targetEpoch,
                                                   Map<Uuid, Set<Integer>> target, PartitionEpochs epochs,
                                                   List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        Map<Uuid, Set<Integer>> assigned = new TreeMap<>();
        Map<Uuid, Set<Integer>> revoking = new TreeMap<>();
        Map<Uuid, Set<Integer>> pending = new TreeMap<>();
        boolean unreleased = false;
        Set<Uuid> topicIds = new HashSet<>(target.keySet());
        topicIds.addAll(member.assignedPartitions().keySet());
        for (Uuid topicId : topicIds) {
            Set<Integer> targetPartitions = target.getOrDefault(topicId, Set.of());
            Set<Integer> current = member.assignedPartitions().getOrDefault(topicId, Set.of());
            Set<Integer> kept = new TreeSet<>(current);
            kept.retainAll(targetPartitions);
            Set<Integer> revoked = new TreeSet<>(current);
            revoked.removeAll(kept);
            Set<Integer> toAssign = new TreeSet<>(targetPartitions);
            toAssign.removeAll(kept);
            // A partition this member itself is still revoking is not another member's.
            Set<Integer> ownRevoking = member.partitionsPendingRevocation().getOrDefault(topicId, Set.of());
            unreleased |= toAssign.removeIf(partition -> epochs.epochOf(topicId, partition) != -1 && !ownRevoking.contains(partition));
            assigned.put(topicId, kept);
            revoking.put(topicId, revoked);
            pending.put(topicId, toAssign);
        }
        Map<Uuid, Set<Integer>> newRevoking = Assignments.copyOf(revoking);
        Map<Uuid, Set<Integer>> newPending = Assignments.copyOf(pending);
        if (!newRevoking.isEmpty() && Assignments.ownsAnyOf(owned, newRevoking)) {
            return withAssignment(member, memberEpoch, MemberState.UNREVOKED_PARTITIONS, assigned, newRevoking);
        }
        if (!newPending.isEmpty()) {
            newPending.forEach((topicId, partitions) -> assigned.get(topicId).addAll(partitions));
        }
        MemberState state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
        return withAssignment(member, targetEpoch, state, assigned, Assignments.EMPTY);
    }

    private static ConsumerGroupMember withAssignment(ConsumerGroupMember member, int newEpoch, MemberState state,
                                                      Map<Uuid, Set<Integer>> assigned,
                                                      Map<Uuid, Set<Integer>> revoking) {
        return member.withAssignment(new GroupRecordValue.CurrentAssignment(newEpoch, member.memberEpoch(),
                state.value(), Assignments.copyOf(assigned), revoking));
    }
}
