package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * The safety rules every committed metadata image must keep, and the ones across images: epochs never go
 * back, a leader epoch names one leader for good, every change raises the partition epoch and every
 * leader change the leader epoch, a new leader comes from the ISR, the ELR or the last known leader
 * (KIP-966) unless an unclean election was allowed, and a reassignment that completes leaves exactly
 * its target. Fails with an {@link AssertionError} naming the broken rule. Keeps history between calls,
 * so one instance follows one log; the driver tells it, before each check, what the event may do
 * ({@link #allowUncleanElection}, {@link #vouch}, {@link #expectTarget}). Not thread-safe.
 */
final class ClusterInvariants {

    private record PartitionKey(Uuid topicId, int partition) { }

    private final ControllerConfig config;
    private final Map<Integer, Long> brokerEpochs = new HashMap<>();
    private final Map<PartitionKey, PartitionRegistration> lastSeen = new HashMap<>();
    private final Map<PartitionKey, Map<Integer, Integer>> leadersByEpoch = new HashMap<>();
    private final Map<PartitionKey, List<Integer>> targets = new HashMap<>();
    private final Map<PartitionKey, Set<Integer>> vouched = new HashMap<>();
    private final Set<Uuid> uncleanElections = new HashSet<>();
    private final Set<Integer> uncleanRestarts = new HashSet<>();
    private MetadataImage previousImage = MetadataImage.EMPTY;
    private int completedReassignments;
    private final Map<String, Integer> elections = new java.util.TreeMap<>();

    /** Invariants of a cluster whose controller falls back to {@code config}. */
    ClusterInvariants(ControllerConfig config) {
        this.config = config;
    }

    /** The next event is an operator's unclean election in the topic: any live replica may be elected. */
    void allowUncleanElection(Uuid topicId) {
        uncleanElections.add(topicId);
    }

    /** The next event registers a new process of {@code brokerId} that did not shut down cleanly: it must be in no ISR or ELR after it. */
    void uncleanRestart(int brokerId) {
        uncleanRestarts.add(brokerId);
    }

    /** In the next event, the leader of the partition put {@code members} in its ISR: they may be elected by the same change. */
    void vouch(Uuid topicId, int partition, List<Integer> members) {
        vouched.computeIfAbsent(new PartitionKey(topicId, partition), k -> new HashSet<>()).addAll(members);
    }

    /** The partition is now moving to {@code replicas}: once no reassignment is in progress, its replicas must be exactly these. */
    void expectTarget(Uuid topicId, int partition, List<Integer> replicas) {
        targets.put(new PartitionKey(topicId, partition), List.copyOf(replicas));
    }

    /** How many new leaders came from where: "isr", "elr", "last-known", "vouched" (an AlterPartition's new members) or "unclean". */
    Map<String, Integer> elections() {
        return elections;
    }

    /** How many reassignments have completed (or been cancelled) so far, each found with exactly its target. */
    int completedReassignments() {
        return completedReassignments;
    }

    /**
     * Checks {@code image}; {@code caughtUp} says whether broker {@code id}, in its current registration,
     * has reported a metadata offset at least that of its registration (only then may it be unfenced).
     */
    void check(MetadataImage image, java.util.function.IntPredicate caughtUp) {
        try {
            for (BrokerRegistration broker : image.brokers().values()) {
                Long previous = brokerEpochs.put(broker.id(), broker.epoch());
                require(previous == null || broker.epoch() >= previous, "broker %d epoch went back from %d to %d", broker.id(), previous, broker.epoch());
                require(broker.fenced() || caughtUp.test(broker.id()), "broker %d (epoch %d) unfenced before it caught up with its registration",
                        broker.id(), broker.epoch());
            }
            ReplicationConfigs before = new ReplicationConfigs(previousImage, config);
            ReplicationConfigs after = new ReplicationConfigs(image, config);
            for (TopicMetadata topic : image.topics()) {
                boolean configured = after.uncleanLeaderElection(topic);
                boolean permitted = configured || uncleanElections.contains(topic.id())
                        || previousImage.topic(topic.id()).map(before::uncleanLeaderElection).orElse(false);
                for (int i = 0; i < topic.partitionCount(); i++) {
                    checkPartition(image, topic.name(), new PartitionKey(topic.id(), i), topic.partition(i), configured, permitted);
                }
            }
            targets.keySet().removeIf(key -> image.topic(key.topicId()).isEmpty());
        } finally {
            previousImage = image;
            uncleanElections.clear();
            uncleanRestarts.clear();
            vouched.clear();
        }
    }

    private void checkPartition(MetadataImage image, String topic, PartitionKey key, PartitionRegistration partition, boolean uncleanConfigured,
                                boolean uncleanPermitted) {
        String where = topic + "-" + key.partition() + " " + partition;
        checkMembership(where, partition);
        for (int restarted : uncleanRestarts) {
            require(!partition.isr().contains(restarted) && !partition.elr().contains(restarted),
                    "%s: broker %d, back from an unclean shutdown, is still in sync or eligible", where, restarted);
        }
        if (partition.hasLeader()) {
            BrokerRegistration leader = image.brokers().get(partition.leader());
            require(leader != null, "%s: leader is not registered", where);
            require(leader.isActive(), "%s: leader is %s", where, leader.fenced() ? "fenced" : "in controlled shutdown");
            require(partition.isr().contains(partition.leader()), "%s: leader not in the ISR", where);
            require(partition.lastKnownElr().isEmpty(), "%s: a last known leader kept while a leader leads", where);
        } else {
            checkNobodyCouldLead(image, where, partition, uncleanConfigured);
        }
        PartitionRegistration before = lastSeen.put(key, partition);
        if (before != null) {
            checkTransition(where, key, before, partition, uncleanPermitted);
        }
        Integer earlier = leadersByEpoch.computeIfAbsent(key, k -> new HashMap<>()).putIfAbsent(partition.leaderEpoch(), partition.leader());
        require(earlier == null || earlier == partition.leader(), "%s: leader epoch %d was led by %d before", where, partition.leaderEpoch(), earlier);
        List<Integer> target = targets.get(key);
        if (target != null && !partition.isReassigning()) {
            require(partition.replicas().equals(target), "%s: the reassignment completed with other replicas than its target %s", where, target);
            targets.remove(key);
            completedReassignments++;
        }
    }

    private static void checkMembership(String where, PartitionRegistration partition) {
        List<Integer> replicas = partition.replicas();
        require(!replicas.isEmpty() && new HashSet<>(replicas).size() == replicas.size(), "%s: replicas empty or repeated", where);
        require(!partition.isr().isEmpty() || !partition.hasLeader(), "%s: empty ISR with a leader", where);
        require(distinctSubset(partition.isr(), replicas), "%s: ISR repeated or not a subset of the replicas", where);
        require(distinctSubset(partition.elr(), replicas), "%s: ELR repeated or not a subset of the replicas", where);
        require(partition.elr().stream().noneMatch(partition.isr()::contains), "%s: a replica both in the ISR and the ELR", where);
        require(partition.lastKnownElr().size() <= 1 && replicas.containsAll(partition.lastKnownElr()), "%s: last known leader not one replica", where);
        require(distinctSubset(partition.addingReplicas(), replicas) && distinctSubset(partition.removingReplicas(), replicas)
                && partition.addingReplicas().stream().noneMatch(partition.removingReplicas()::contains), "%s: adding/removing not replicas, or both", where);
    }

    /** A leaderless partition has no replica that the controller could have elected. */
    private static void checkNobodyCouldLead(MetadataImage image, String where, PartitionRegistration partition, boolean unclean) {
        for (int member : partition.isr()) {
            require(!isActive(image, member), "%s: offline although ISR member %d is active", where, member);
        }
        if (partition.isr().isEmpty()) {
            for (int member : partition.elr()) {
                require(!isActive(image, member), "%s: offline although eligible replica %d is active", where, member);
            }
        }
        if (partition.isr().isEmpty() && partition.elr().isEmpty()) {
            for (int member : partition.lastKnownElr()) {
                require(!isActive(image, member), "%s: offline although the last known leader %d is active", where, member);
            }
        }
        if (unclean) {
            for (int replica : partition.replicas()) {
                require(!isActive(image, replica), "%s: offline although unclean elections are allowed and replica %d is active", where, replica);
            }
        }
    }

    private void checkTransition(String where, PartitionKey key, PartitionRegistration before, PartitionRegistration after, boolean unclean) {
        require(after.leaderEpoch() >= before.leaderEpoch(), "%s: leader epoch went back from %d", where, before.leaderEpoch());
        require(after.partitionEpoch() >= before.partitionEpoch(), "%s: partition epoch went back from %d", where, before.partitionEpoch());
        require(after.equals(before) || after.partitionEpoch() > before.partitionEpoch(), "%s: changed without a new partition epoch (was %s)", where, before);
        require(after.leader() == before.leader() || after.leaderEpoch() > before.leaderEpoch(), "%s: new leader without a new leader epoch (was %s)", where,
                before);
        if (after.hasLeader() && after.leader() != before.leader()) {
            String from = before.isr().contains(after.leader()) ? "isr" : before.elr().contains(after.leader()) ? "elr"
                    : before.lastKnownElr().contains(after.leader()) ? "last-known" : vouched.getOrDefault(key, Set.of()).contains(after.leader()) ? "vouched"
                    : "unclean";
            elections.merge(from, 1, Integer::sum);
            require(unclean || !from.equals("unclean"), "%s: leader elected outside the ISR, ELR and last known leader of %s", where, before);
        }
    }

    private static boolean distinctSubset(List<Integer> members, List<Integer> of) {
        return new HashSet<>(members).size() == members.size() && of.containsAll(members);
    }

    private static boolean isActive(MetadataImage image, int brokerId) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        return broker != null && broker.isActive();
    }

    private static void require(boolean holds, String format, Object... args) {
        if (!holds) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
