package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrChangeResult;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.controller.ControllerCommand.Reassignment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToLongFunction;
import org.apache.kafka.common.protocol.Errors;

/**
 * The replication events of a {@link ControllerSimulation}: leaders proposing ISR changes (shrinks,
 * expansions, some at stale epochs or from the wrong broker), reassignments and their cancels, and
 * changes of min.insync.replicas and unclean.leader.election.enable. Each tells the invariants what it
 * may do, and checks on the spot what only it can see: a refused ISR change answers Kafka's code for
 * its fault and writes nothing. Every choice comes from the seed over sorted ids. Not thread-safe.
 */
final class ReplicationEvents {

    private final Random random;
    private final ControllerHarness cluster;
    private final ClusterInvariants invariants;
    /** Broker id to the epoch its live process registered with, or -1 if it has none. */
    private final IntToLongFunction liveEpoch;
    private final Map<String, Integer> outcomes;

    /** Events over {@code cluster}; {@code outcomes} counts how each kind was answered. */
    ReplicationEvents(Random random, ControllerHarness cluster, ClusterInvariants invariants, IntToLongFunction liveEpoch,
                      Map<String, Integer> outcomes) {
        this.random = random;
        this.cluster = cluster;
        this.invariants = invariants;
        this.liveEpoch = liveEpoch;
        this.outcomes = outcomes;
    }

    /** A partition's leader proposes a new ISR: mostly valid, sometimes stale or from another broker. */
    String alterIsr() {
        List<Located> led = partitions(p -> p.hasLeader() && liveEpoch.applyAsLong(p.leader()) >= 0);
        if (led.isEmpty()) {
            return "no led partition";
        }
        Located target = led.get(random.nextInt(led.size()));
        PartitionRegistration partition = target.partition();
        int fault = random.nextInt(10);
        int sender = partition.leader();
        int leaderEpoch = partition.leaderEpoch();
        int partitionEpoch = partition.partitionEpoch();
        Errors expected = null;
        if (fault == 0 && leaderEpoch > 0) {
            leaderEpoch--;
            expected = Errors.FENCED_LEADER_EPOCH;
        } else if (fault == 1 && partitionEpoch > 0) {
            partitionEpoch--;
            expected = Errors.INVALID_UPDATE_VERSION;
        } else if (fault == 2) {
            List<Integer> others = partition.replicas().stream().filter(b -> b != partition.leader() && liveEpoch.applyAsLong(b) >= 0).toList();
            if (!others.isEmpty()) {
                sender = others.get(random.nextInt(others.size()));
                expected = Errors.NOT_LEADER_OR_FOLLOWER;
            }
        }
        List<Integer> isr = proposedIsr(partition);
        List<IsrMember> members = isr.stream().map(b -> new IsrMember(b, random.nextInt(8) == 0 ? IsrMember.UNKNOWN_EPOCH : liveEpoch.applyAsLong(b)))
                .toList();
        invariants.vouch(target.topic().id(), target.index(), isr);
        MetadataImage before = cluster.image();
        IsrChangeResult result = (IsrChangeResult) ((List<?>) cluster.handle(new AlterPartition(sender, liveEpoch.applyAsLong(sender),
                List.of(new IsrChange(target.topic().id(), target.index(), leaderEpoch, partitionEpoch, members))))).get(0);
        Errors error = Errors.forCode(result.errorCode());
        outcomes.merge("alter-isr:" + error, 1, Integer::sum);
        if (expected != null) {
            require(error == expected, "a stale or misdirected ISR change answered %s, not %s", error, expected);
            require(cluster.image() == before, "a refused ISR change wrote records");
        } else if (error != Errors.NONE && error != Errors.NEW_LEADER_ELECTED) {
            require(cluster.image() == before, "a refused ISR change (%s) wrote records", error);
        }
        return target + " b" + sender + " e" + leaderEpoch + "/" + partitionEpoch + " isr " + isr + " -> " + error;
    }

    /** The leader, the current ISR shrunk or grown by one or two replicas (adding ones first, so moves complete). */
    private List<Integer> proposedIsr(PartitionRegistration partition) {
        List<Integer> isr = new ArrayList<>(partition.isr());
        int changes = 1 + random.nextInt(2);
        for (int i = 0; i < changes; i++) {
            List<Integer> outside = new ArrayList<>(partition.replicas());
            outside.removeAll(isr);
            outside.sort(Comparator.comparing(b -> partition.addingReplicas().contains(b) ? 0 : 1));
            boolean grow = !outside.isEmpty() && (isr.size() <= 1 || random.nextBoolean());
            if (grow) {
                isr.add(outside.get(random.nextInt(3) == 0 ? random.nextInt(outside.size()) : 0));
            } else if (isr.size() > 1) {
                List<Integer> followers = isr.stream().filter(b -> b != partition.leader()).toList();
                isr.remove(followers.get(random.nextInt(followers.size())));
            }
        }
        return isr;
    }

    /** A partition moves to other brokers, or its move is cancelled; now and then the list is bad. */
    String reassign() {
        List<Located> all = partitions(p -> true);
        if (all.isEmpty()) {
            return "no partition";
        }
        Located target = all.get(random.nextInt(all.size()));
        PartitionRegistration before = target.partition();
        List<Integer> replicas = null;
        if (random.nextInt(5) > 0 || !before.isReassigning()) {
            List<Integer> brokers = new ArrayList<>(cluster.image().brokers().keySet().stream().sorted().toList());
            Collections.shuffle(brokers, random);
            replicas = new ArrayList<>(brokers.subList(0, 1 + random.nextInt(Math.min(3, brokers.size()))));
            if (random.nextInt(12) == 0) {
                replicas.add(99);
            }
        }
        PartitionId id = new PartitionId(target.topic().id(), target.index());
        PartitionResult result = (PartitionResult) ((List<?>) cluster.handle(
                new ControllerCommand.AlterReassignments(List.of(new Reassignment(id, replicas)), random.nextInt(4) > 0))).get(0);
        if (result.errorCode() == Errors.NONE.code()) {
            invariants.expectTarget(id.topicId(), id.partition(), replicas != null ? replicas : before.originalReplicas());
        }
        outcomes.merge("reassign:" + (replicas == null ? "cancel:" : "") + Errors.forCode(result.errorCode()), 1, Integer::sum);
        return target + " -> " + (replicas == null ? "cancel" : replicas) + ": " + Errors.forCode(result.errorCode());
    }

    /** A topic's (or the cluster default's) min.insync.replicas or unclean.leader.election.enable changes. */
    String reconfigure() {
        Map<String, String> configs = new java.util.HashMap<>();
        if (random.nextInt(3) > 0) {
            configs.put(ReplicationConfigs.MIN_INSYNC_REPLICAS, String.valueOf(1 + random.nextInt(3)));
        }
        if (random.nextInt(4) == 0) {
            configs.put(ReplicationConfigs.UNCLEAN_LEADER_ELECTION_ENABLE, String.valueOf(random.nextInt(3) == 0));
        }
        List<TopicMetadata> topics = sortedTopics();
        if (topics.isEmpty() || random.nextInt(5) == 0) {
            cluster.handle(new ControllerCommand.AlterBrokerConfigs(MetadataImage.DEFAULT_BROKER, configs));
            return "cluster default " + configs;
        }
        TopicMetadata topic = topics.get(random.nextInt(topics.size()));
        cluster.handle(new ControllerCommand.AlterTopicConfigs(topic.id(), configs));
        return topic.name() + " " + configs;
    }

    /** A partition, where it is. */
    private record Located(TopicMetadata topic, int index, PartitionRegistration partition) {
        @Override
        public String toString() {
            return topic.name() + "-" + index;
        }
    }

    private List<Located> partitions(java.util.function.Predicate<PartitionRegistration> which) {
        List<Located> found = new ArrayList<>();
        for (TopicMetadata topic : sortedTopics()) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                if (which.test(topic.partition(i))) {
                    found.add(new Located(topic, i, topic.partition(i)));
                }
            }
        }
        return found;
    }

    private List<TopicMetadata> sortedTopics() {
        return cluster.image().topics().stream().sorted(Comparator.comparing(TopicMetadata::name)).toList();
    }

    private static void require(boolean holds, String format, Object... args) {
        if (!holds) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
