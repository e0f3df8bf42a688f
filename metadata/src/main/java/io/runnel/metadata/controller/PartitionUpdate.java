package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
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
 * current one (the last member keeps every acknowledged record). Not thread-safe; one per change.
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
        int leader = electLeader();
        if (leader == PartitionRegistration.NO_LEADER && election == Election.UNCLEAN) {
            leader = current.replicas().stream().filter(acceptableLeader::test).findFirst().orElse(PartitionRegistration.NO_LEADER);
            if (leader != PartitionRegistration.NO_LEADER) {
                targetIsr = List.of(leader);
            }
        }
        int leaderField = leader == current.leader() ? PartitionChangeRecord.NO_LEADER_CHANGE : leader;
        List<Integer> isr = targetIsr.equals(current.isr()) ? null : targetIsr;
        if (leaderField == PartitionChangeRecord.NO_LEADER_CHANGE && isr == null) {
            return Optional.empty();
        }
        return Optional.of(new PartitionChangeRecord(topicId, index, leaderField, isr, null, null));
    }

    private int electLeader() {
        List<Integer> replicas = current.replicas();
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
