package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.apache.kafka.common.Uuid;

/**
 * The next state of one partition, as the {@link PartitionChangeRecord} that leads there: the caller
 * sets what it wants (the ISR, an election), the update keeps or elects a leader that may lead the
 * result, and the record names only what changes; there is no record when nothing does. The rules are
 * Kafka's controller's: the current leader stays while it is in the new ISR and acceptable; otherwise
 * the first replica, in replica order, that is in the ISR and acceptable leads; with no such replica
 * the partition has no leader. An ISR never becomes empty: a change that would empty it keeps the
 * current one (the last member keeps every acknowledged record).
 *
 * <p>A reassignment in progress completes in any update whose ISR, without the replicas being removed,
 * still has a member and holds every target replica: the removed replicas leave the replicas and the
 * ISR, a leader among them is replaced, and the leader epoch rises (so the removed replicas' fetches
 * are fenced) even when the leader stays. Not thread-safe; one per change.
 */
final class PartitionUpdate {

    /** How a leader is chosen when one must be. */
    enum Election {
        /** The first replica if it may lead, else the current leader if it may, else as {@link #ONLINE}. */
        PREFERRED,
        /** The current leader while it may lead, else the first in-sync replica that may. */
        ONLINE,
        /**
         * As {@link #ONLINE}, and failing that any acceptable replica, which becomes the whole ISR: the
         * partition is back online, but records only the old ISR had are lost.
         */
        UNCLEAN
    }

    private final Uuid topicId;
    private final int index;
    private final PartitionRegistration current;
    private final IntPredicate acceptableLeader;
    private Election election = Election.ONLINE;
    private List<Integer> targetIsr;
    private List<Integer> targetReplicas;
    private List<Integer> targetAdding;
    private List<Integer> targetRemoving;

    /**
     * An update of partition {@code index} of {@code topicId}, now {@code current}; {@code acceptableLeader}
     * says which brokers may lead (active ones, as the caller sees them).
     */
    PartitionUpdate(Uuid topicId, int index, PartitionRegistration current, IntPredicate acceptableLeader) {
        this.topicId = topicId;
        this.index = index;
        this.current = current;
        this.acceptableLeader = acceptableLeader;
        this.targetIsr = current.isr();
        this.targetReplicas = current.replicas();
        this.targetAdding = current.addingReplicas();
        this.targetRemoving = current.removingReplicas();
    }

    /**
     * The replicas to have, and the reassignment they are part of: {@code adding} and {@code removing}
     * empty for none.
     */
    PartitionUpdate replicas(List<Integer> replicas, List<Integer> adding, List<Integer> removing) {
        this.targetReplicas = List.copyOf(replicas);
        this.targetAdding = List.copyOf(adding);
        this.targetRemoving = List.copyOf(removing);
        return this;
    }

    /** The ISR to have. */
    PartitionUpdate isr(List<Integer> isr) {
        this.targetIsr = List.copyOf(isr);
        return this;
    }

    /** How to choose a leader (default {@link Election#ONLINE}). */
    PartitionUpdate election(Election newElection) {
        this.election = newElection;
        return this;
    }

    /** The record of the change, or none if the partition would stay as it is. */
    Optional<PartitionChangeRecord> build() {
        if (targetIsr.isEmpty()) {
            targetIsr = current.isr();
        }
        completeReassignment();
        int leader = electLeader();
        if (leader == PartitionRegistration.NO_LEADER && election == Election.UNCLEAN) {
            leader = targetReplicas.stream().filter(acceptableLeader::test).findFirst().orElse(PartitionRegistration.NO_LEADER);
            if (leader != PartitionRegistration.NO_LEADER) {
                targetIsr = List.of(leader);
            }
        }
        int leaderField = leader == current.leader() ? PartitionChangeRecord.NO_LEADER_CHANGE : leader;
        if (leaderField == PartitionChangeRecord.NO_LEADER_CHANGE && !targetReplicas.containsAll(current.replicas())) {
            leaderField = current.leader();
        }
        PartitionChangeRecord record = new PartitionChangeRecord(topicId, index, leaderField, changed(targetIsr, current.isr()), null,
                changed(targetReplicas, current.replicas()), null, changed(targetAdding, current.addingReplicas()),
                changed(targetRemoving, current.removingReplicas()));
        return isNoOp(record) ? Optional.empty() : Optional.of(record);
    }

    /** When every target replica is in the ISR (without those being removed), the move is done. */
    private void completeReassignment() {
        if (targetAdding.isEmpty() && targetRemoving.isEmpty()) {
            return;
        }
        List<Integer> isr = new ArrayList<>(targetIsr);
        isr.removeAll(targetRemoving);
        List<Integer> replicas = new ArrayList<>(targetReplicas);
        replicas.removeAll(targetRemoving);
        if (isr.isEmpty() || replicas.isEmpty() || !isr.containsAll(replicas)) {
            return;
        }
        targetIsr = List.copyOf(isr);
        targetReplicas = List.copyOf(replicas);
        targetAdding = List.of();
        targetRemoving = List.of();
    }

    private static List<Integer> changed(List<Integer> target, List<Integer> now) {
        return target.equals(now) ? null : target;
    }

    private static boolean isNoOp(PartitionChangeRecord record) {
        return record.leader() == PartitionChangeRecord.NO_LEADER_CHANGE && record.isr() == null && record.elr() == null
                && record.replicas() == null && record.lastKnownElr() == null && record.addingReplicas() == null && record.removingReplicas() == null;
    }

    private int electLeader() {
        List<Integer> replicas = targetReplicas;
        if (election == Election.PREFERRED && mayLead(replicas.get(0))) {
            return replicas.get(0);
        }
        if (current.hasLeader() && mayLead(current.leader())) {
            return current.leader();
        }
        for (int replica : replicas) {
            if (mayLead(replica)) {
                return replica;
            }
        }
        return PartitionRegistration.NO_LEADER;
    }

    private boolean mayLead(int replica) {
        return targetIsr.contains(replica) && acceptableLeader.test(replica);
    }
}
