package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.apache.kafka.common.Uuid;

/**
 * The next state of one partition, as the {@link PartitionChangeRecord} that leads there: the caller
 * sets what it wants (an ISR, replicas, an election), the update keeps or elects a leader that may lead
 * the result, and the record names only what changes; there is no record when nothing does. The rules
 * are those of Kafka 4's controller with eligible leader replicas (KIP-966) on:
 *
 * <ul>
 *   <li><b>ELR.</b> While the ISR is below the topic's min.insync.replicas, the high watermark stands
 *       still, so a member that leaves the ISR keeps every committed record: it joins the ELR. An ISR at
 *       min.insync.replicas or above clears the ELR. A replica that shut down uncleanly (it may have lost
 *       unflushed records) never joins, and leaves it. The ISR may become empty: the last member then
 *       waits in the ELR, and the last leader is kept as {@code lastKnownElr}.</li>
 *   <li><b>Leader.</b> The current leader stays while it is in the ISR and acceptable; otherwise the
 *       first replica, in replica order, that is in the ISR and acceptable; with an empty ISR the first
 *       acceptable ELR member, which becomes the ISR alone; with ISR and ELR empty, the last known
 *       leader if it is acceptable (as Kafka 4 does: the behaviour before KIP-966 when every replica was
 *       offline); with unclean election, any acceptable replica. A leader from outside the ISR and ELR
 *       becomes the whole ISR and clears the ELR.</li>
 *   <li><b>Reassignment.</b> A move in progress completes in any update whose ISR, without the replicas
 *       being removed, still has a member and holds every target replica: the removed replicas leave,
 *       a leader among them is replaced, and the leader epoch rises (fencing the removed replicas'
 *       fetches) even when the leader stays.</li>
 * </ul>
 *
 * Not thread-safe; one per change.
 */
final class PartitionUpdate {

    /** How a leader is chosen when one must be. */
    enum Election {
        /** The first replica if it may lead, else the current leader if it may, else as {@link #ONLINE}. */
        PREFERRED,
        /** The current leader while it may lead, else an in-sync, eligible or last known leader that may. */
        ONLINE,
        /** As {@link #ONLINE}, and failing that any acceptable replica: back online, losing what only the others had. */
        UNCLEAN
    }

    private final Uuid topicId;
    private final int index;
    private final PartitionRegistration current;
    private final IntPredicate acceptableLeader;
    private final int minIsr;
    private Election election = Election.ONLINE;
    private List<Integer> targetIsr;
    private List<Integer> targetElr;
    private List<Integer> targetLastKnownElr;
    private List<Integer> targetReplicas;
    private List<Integer> targetAdding;
    private List<Integer> targetRemoving;
    private int uncleanShutdown = PartitionRegistration.NO_LEADER;

    /**
     * An update of partition {@code index} of {@code topicId}, now {@code current}, in a topic whose
     * effective min.insync.replicas is {@code minIsr}; {@code acceptableLeader} says which brokers may lead
     * (active ones, as the caller sees them).
     */
    PartitionUpdate(Uuid topicId, int index, PartitionRegistration current, IntPredicate acceptableLeader, int minIsr) {
        this.topicId = topicId;
        this.index = index;
        this.current = current;
        this.acceptableLeader = acceptableLeader;
        this.minIsr = minIsr;
        this.targetIsr = current.isr();
        this.targetElr = current.elr();
        this.targetLastKnownElr = current.lastKnownElr();
        this.targetReplicas = current.replicas();
        this.targetAdding = current.addingReplicas();
        this.targetRemoving = current.removingReplicas();
    }

    /** The ISR to have. */
    PartitionUpdate isr(List<Integer> isr) {
        this.targetIsr = List.copyOf(isr);
        return this;
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

    /** How to choose a leader (default {@link Election#ONLINE}). */
    PartitionUpdate election(Election newElection) {
        this.election = newElection;
        return this;
    }

    /** A replica whose broker came back from an unclean shutdown: it leaves the ISR and ELR and may not lead. */
    PartitionUpdate uncleanShutdown(int brokerId) {
        this.uncleanShutdown = brokerId;
        List<Integer> isr = new ArrayList<>(targetIsr);
        isr.remove(Integer.valueOf(brokerId));
        this.targetIsr = List.copyOf(isr);
        return this;
    }

    /** Empties the ELR and the last known leader (as a change of min.insync.replicas does in Kafka). */
    PartitionUpdate clearEligibleLeaders() {
        this.targetElr = List.of();
        this.targetLastKnownElr = List.of();
        return this;
    }

    /** The record of the change, or none if the partition would stay as it is. */
    Optional<PartitionChangeRecord> build() {
        completeReassignment();
        populateElr();
        int leader = electLeader();
        if (leader != current.leader()) {
            takeLeader(leader);
        }
        updateLastKnownLeader(leader);
        int leaderField = leader == current.leader() ? PartitionChangeRecord.NO_LEADER_CHANGE : leader;
        if (leaderField == PartitionChangeRecord.NO_LEADER_CHANGE && !targetReplicas.containsAll(current.replicas())) {
            leaderField = current.leader();
        }
        PartitionChangeRecord record = new PartitionChangeRecord(topicId, index, leaderField, changed(targetIsr, current.isr()),
                changed(targetElr, current.elr()), changed(targetReplicas, current.replicas()), changed(targetLastKnownElr, current.lastKnownElr()),
                changed(targetAdding, current.addingReplicas()), changed(targetRemoving, current.removingReplicas()));
        return isNoOp(record) ? Optional.empty() : Optional.of(record);
    }

    /** When every target replica is in the ISR (without those being removed), the move is done. */
    private void completeReassignment() {
        if (targetAdding.isEmpty() && targetRemoving.isEmpty()) {
            return;
        }
        List<Integer> isr = without(targetIsr, targetRemoving);
        List<Integer> replicas = without(targetReplicas, targetRemoving);
        if (isr.isEmpty() || replicas.isEmpty() || !isr.containsAll(replicas)) {
            return;
        }
        targetIsr = isr;
        targetReplicas = replicas;
        targetAdding = List.of();
        targetRemoving = List.of();
    }

    /** Below min.insync.replicas the members leaving the ISR join the ELR; at or above it the ELR empties. */
    private void populateElr() {
        if (targetIsr.size() >= minIsr) {
            targetElr = List.of();
            return;
        }
        TreeSet<Integer> elr = new TreeSet<>(targetElr);
        elr.addAll(current.isr());
        elr.removeAll(targetIsr);
        elr.remove(uncleanShutdown);
        elr.retainAll(targetReplicas);
        targetElr = List.copyOf(elr);
    }

    private int electLeader() {
        if (election == Election.PREFERRED && mayLead(targetReplicas.get(0))) {
            return targetReplicas.get(0);
        }
        if (current.hasLeader() && mayLead(current.leader())) {
            return current.leader();
        }
        for (int replica : targetReplicas) {
            if (mayLead(replica)) {
                return replica;
            }
        }
        int lastKnown = lastKnownLeader();
        if (lastKnown != PartitionRegistration.NO_LEADER) {
            return lastKnown;
        }
        if (election == Election.UNCLEAN) {
            for (int replica : targetReplicas) {
                if (acceptable(replica)) {
                    return replica;
                }
            }
        }
        return PartitionRegistration.NO_LEADER;
    }

    /** An in-sync replica, or with no ISR an eligible one, that may lead. */
    private boolean mayLead(int replica) {
        return (targetIsr.contains(replica) || targetIsr.isEmpty() && targetElr.contains(replica)) && acceptable(replica);
    }

    private boolean acceptable(int replica) {
        return replica != uncleanShutdown && acceptableLeader.test(replica);
    }

    /** The partition's last leader, when nothing else is left to elect and it may lead again. */
    private int lastKnownLeader() {
        boolean nothingElse = targetIsr.isEmpty() && targetElr.isEmpty() && current.lastKnownElr().size() == 1;
        int lastKnown = nothingElse ? current.lastKnownElr().get(0) : PartitionRegistration.NO_LEADER;
        return lastKnown != PartitionRegistration.NO_LEADER && targetReplicas.contains(lastKnown) && acceptable(lastKnown)
                ? lastKnown : PartitionRegistration.NO_LEADER;
    }

    /** The ISR and ELR a new leader brings: an ELR member or one from outside both is the ISR alone. */
    private void takeLeader(int leader) {
        if (leader == PartitionRegistration.NO_LEADER || targetIsr.contains(leader)) {
            return;
        }
        boolean fromElr = targetElr.contains(leader);
        targetIsr = List.of(leader);
        targetElr = fromElr ? without(targetElr, List.of(leader)) : List.of();
    }

    /** The last leader is remembered when the ISR empties, and forgotten once the partition has a leader again. */
    private void updateLastKnownLeader(int leader) {
        if (leader != PartitionRegistration.NO_LEADER) {
            targetLastKnownElr = List.of();
        } else if (targetIsr.isEmpty() && current.hasLeader()) {
            targetLastKnownElr = List.of(current.leader());
        }
        targetLastKnownElr = targetLastKnownElr.stream().filter(targetReplicas::contains).toList();
    }

    private static List<Integer> without(List<Integer> from, List<Integer> removed) {
        List<Integer> kept = new ArrayList<>(from);
        kept.removeAll(removed);
        return List.copyOf(kept);
    }

    private static List<Integer> changed(List<Integer> target, List<Integer> now) {
        return target.equals(now) ? null : target;
    }

    private static boolean isNoOp(PartitionChangeRecord record) {
        return record.leader() == PartitionChangeRecord.NO_LEADER_CHANGE && record.isr() == null && record.elr() == null
                && record.replicas() == null && record.lastKnownElr() == null && record.addingReplicas() == null && record.removingReplicas() == null;
    }
}
