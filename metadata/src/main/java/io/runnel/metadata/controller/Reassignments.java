package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.controller.ControllerCommand.Reassignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Partition reassignments as Kafka's controller carries them out, in two steps. First the target
 * replicas join: the partition's replicas become the target followed by the replicas being removed,
 * with {@code addingReplicas} and {@code removingReplicas} set, so the new replicas fetch and catch up
 * while the old ones still serve. Then, in whichever later change finds every target replica in the
 * ISR (an AlterPartition, a broker fenced or back; see {@link PartitionUpdate}), the removed replicas
 * leave. A move whose target replicas are already in sync (a new order, fewer replicas) completes at
 * once. A new target for a moving partition starts from its current replica list; cancelling returns
 * to the replicas it had before, keeping only the in-sync ones of those (when none of those is in sync,
 * only a topic that allows unclean elections may cancel: its first original replica becomes the ISR).
 * Not thread-safe; one per command.
 */
final class Reassignments {

    private final PartitionChanges changes;
    private final boolean allowReplicationFactorChange;

    Reassignments(PartitionChanges changes, boolean allowReplicationFactorChange) {
        this.changes = changes;
        this.allowReplicationFactorChange = allowReplicationFactorChange;
    }

    /** Starts, changes or cancels one partition's move, recording it in the changes; its outcome with Kafka's error code. */
    PartitionResult apply(Reassignment reassignment) {
        PartitionId id = reassignment.partition();
        TopicMetadata topic = changes.image().topic(id.topicId()).orElse(null);
        if (topic == null || id.partition() < 0 || id.partition() >= topic.partitionCount()) {
            return result(id, Errors.UNKNOWN_TOPIC_OR_PARTITION, "The partition does not exist.");
        }
        PartitionRegistration partition = topic.partition(id.partition());
        if (reassignment.replicas() == null) {
            return cancel(topic, id, partition);
        }
        try {
            TopicCommands.checkReplicas(changes.image(), reassignment.replicas());
        } catch (InvalidReplicaAssignmentException e) {
            return result(id, Errors.INVALID_REPLICA_ASSIGNMENT, e.getMessage());
        }
        int replicationFactor = partition.originalReplicas().size();
        if (!allowReplicationFactorChange && reassignment.replicas().size() != replicationFactor) {
            return result(id, Errors.INVALID_REPLICATION_FACTOR, "The replication factor is changed from " + replicationFactor + " to "
                    + reassignment.replicas().size() + ", which is not allowed by this request.");
        }
        move(topic, id.partition(), partition, reassignment.replicas());
        return result(id, Errors.NONE, null);
    }

    private void move(TopicMetadata topic, int index, PartitionRegistration partition, List<Integer> target) {
        List<Integer> removing = new ArrayList<>(new TreeSet<>(partition.replicas()));
        removing.removeAll(target);
        List<Integer> adding = new ArrayList<>(new TreeSet<>(target));
        adding.removeAll(partition.replicas());
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        // a topic that allows unclean elections gets a leaderless partition back online here, where Kafka's
        // controller does it in its periodic check for leaderless partitions
        changes.update(topic, index, partition, changes::isActive).replicas(replicas, adding, removing).build().ifPresent(changes::add);
    }

    private PartitionResult cancel(TopicMetadata topic, PartitionId id, PartitionRegistration partition) {
        if (!partition.isReassigning()) {
            return result(id, Errors.NO_REASSIGNMENT_IN_PROGRESS, "No partition reassignment is in progress.");
        }
        List<Integer> original = partition.originalReplicas();
        List<Integer> isr = new ArrayList<>(partition.isr());
        isr.removeAll(partition.addingReplicas());
        if (isr.isEmpty()) {
            if (!changes.configs().uncleanLeaderElection(topic)) {
                return result(id, Errors.INVALID_REPLICA_ASSIGNMENT, "Unable to revert partition assignment for " + topic.name() + ":"
                        + id.partition() + " because it would require an unclean leader election.");
            }
            isr.add(original.get(0));
        }
        Optional<PartitionChangeRecord> record = changes.update(topic, id.partition(), partition, changes::isActive)
                .replicas(original, List.of(), List.of()).isr(isr).build();
        record.ifPresent(changes::add);
        return result(id, Errors.NONE, null);
    }

    private static PartitionResult result(PartitionId id, Errors error, String message) {
        return new PartitionResult(id, error.code(), message);
    }
}
