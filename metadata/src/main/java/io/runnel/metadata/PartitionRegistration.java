package io.runnel.metadata;

import java.util.List;

/**
 * One partition's replica set and leadership, as the controller decided it (Kafka's PartitionRecord and
 * the PartitionChangeRecords since). Immutable.
 *
 * @param replicas the brokers that hold a replica, the preferred leader first
 * @param isr the in-sync replicas; never empty (the last leader stays in it when it goes away, so it can
 *     return as leader without losing acknowledged records)
 * @param elr the eligible leader replicas (KIP-966): replicas that left the ISR below min.insync.replicas
 *     but still have every committed record
 * @param leader the leader's broker id, or {@link #NO_LEADER} when the partition is offline
 * @param leaderEpoch raised at every leader change; fences requests from older leaders
 * @param partitionEpoch raised at every change of this partition
 */
public record PartitionRegistration(List<Integer> replicas, List<Integer> isr, List<Integer> elr, int leader, int leaderEpoch,
                                    int partitionEpoch) {

    /** The leader of a partition that has none. */
    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        elr = List.copyOf(elr);
    }

    /** A new partition on {@code replicas}, led by {@code leader}, every replica in sync, epochs 0. */
    public static PartitionRegistration initial(List<Integer> replicas, int leader) {
        return new PartitionRegistration(replicas, replicas, List.of(), leader, 0, 0);
    }

    /** This partition after {@code change}: a new leader raises the leader epoch; every change raises the partition epoch. */
    public PartitionRegistration merge(MetadataRecord.PartitionChangeRecord change) {
        boolean leaderChanged = change.leader() != MetadataRecord.PartitionChangeRecord.NO_LEADER_CHANGE;
        return new PartitionRegistration(
                change.replicas() != null ? change.replicas() : replicas,
                change.isr() != null ? change.isr() : isr,
                change.elr() != null ? change.elr() : elr,
                leaderChanged ? change.leader() : leader,
                leaderChanged ? leaderEpoch + 1 : leaderEpoch,
                partitionEpoch + 1);
    }

    /** True if {@code brokerId} holds a replica. */
    public boolean hasReplica(int brokerId) {
        return replicas.contains(brokerId);
    }

    /** True if the partition has a leader. */
    public boolean hasLeader() {
        return leader != NO_LEADER;
    }
}
