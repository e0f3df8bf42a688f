package io.runnel.metadata;

import java.util.ArrayList;
import java.util.List;

/**
 * One partition's replica set and leadership, as the controller decided it (Kafka's PartitionRecord and
 * the PartitionChangeRecords since). Immutable.
 *
 * <p>While a reassignment moves the partition, {@code replicas} is the target replicas followed by the
 * ones being removed, as Kafka keeps it: every broker in it holds a replica and fetches, the new ones
 * catch up, and once every target replica is in the ISR the controller drops the removed ones.
 *
 * @param replicas the brokers that hold a replica, the preferred leader first
 * @param isr the in-sync replicas; always holds the leader. Empty only when the partition has no leader:
 *     with eligible leader replicas (KIP-966, as Kafka 4) the last members then wait in {@code elr}, the
 *     last leader in {@code lastKnownElr}, to lead again without losing acknowledged records
 * @param elr the eligible leader replicas (KIP-966): replicas that left the ISR below min.insync.replicas
 *     but still have every committed record
 * @param leader the leader's broker id, or {@link #NO_LEADER} when the partition is offline
 * @param leaderEpoch raised at every leader change; fences requests from older leaders
 * @param partitionEpoch raised at every change of this partition
 * @param lastKnownElr the last leader, kept while the partition has none and ISR and ELR are empty
 *     (KIP-966): it may lead again when it returns
 * @param addingReplicas the replicas a reassignment adds (in {@code replicas}, not yet in the original set)
 * @param removingReplicas the replicas a reassignment removes (still in {@code replicas} until it completes)
 */
public record PartitionRegistration(List<Integer> replicas, List<Integer> isr, List<Integer> elr, int leader, int leaderEpoch,
                                    int partitionEpoch, List<Integer> lastKnownElr, List<Integer> addingReplicas,
                                    List<Integer> removingReplicas) {

    /** The leader of a partition that has none. */
    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        elr = List.copyOf(elr);
        lastKnownElr = List.copyOf(lastKnownElr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition that is not being moved and has no last known leader. */
    public PartitionRegistration(List<Integer> replicas, List<Integer> isr, List<Integer> elr, int leader, int leaderEpoch, int partitionEpoch) {
        this(replicas, isr, elr, leader, leaderEpoch, partitionEpoch, List.of(), List.of(), List.of());
    }

    /** A new partition on {@code replicas}, led by {@code leader}, every replica in sync, epochs 0. */
    public static PartitionRegistration initial(List<Integer> replicas, int leader) {
        return new PartitionRegistration(replicas, replicas, List.of(), leader, 0, 0);
    }

    /** This partition after {@code change}: a leader field raises the leader epoch; every change raises the partition epoch. */
    public PartitionRegistration merge(MetadataRecord.PartitionChangeRecord change) {
        boolean leaderChanged = change.leader() != MetadataRecord.PartitionChangeRecord.NO_LEADER_CHANGE;
        return new PartitionRegistration(
                orElse(change.replicas(), replicas),
                orElse(change.isr(), isr),
                orElse(change.elr(), elr),
                leaderChanged ? change.leader() : leader,
                leaderChanged ? leaderEpoch + 1 : leaderEpoch,
                partitionEpoch + 1,
                orElse(change.lastKnownElr(), lastKnownElr),
                orElse(change.addingReplicas(), addingReplicas),
                orElse(change.removingReplicas(), removingReplicas));
    }

    private static List<Integer> orElse(List<Integer> changed, List<Integer> unchanged) {
        return changed != null ? changed : unchanged;
    }

    /** True if {@code brokerId} holds a replica. */
    public boolean hasReplica(int brokerId) {
        return replicas.contains(brokerId);
    }

    /** True if the partition has a leader. */
    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    /** True while a reassignment moves the partition. */
    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replicas the partition will have once its reassignment completes (its replicas, when none is in progress). */
    public List<Integer> targetReplicas() {
        return without(replicas, removingReplicas);
    }

    /** The replicas the partition had before its reassignment began (its replicas, when none is in progress). */
    public List<Integer> originalReplicas() {
        return without(replicas, addingReplicas);
    }

    private static List<Integer> without(List<Integer> from, List<Integer> removed) {
        if (removed.isEmpty()) {
            return from;
        }
        List<Integer> kept = new ArrayList<>(from);
        kept.removeAll(removed);
        return List.copyOf(kept);
    }
}
