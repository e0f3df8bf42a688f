package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * The safety rules every committed metadata image must keep, and the ones across images (epochs never
 * go back; a leader epoch names one leader for good). Fails with an {@link AssertionError} naming the
 * broken rule. Keeps history between calls, so one instance follows one log. Not thread-safe.
 */
final class ClusterInvariants {

    private record PartitionKey(Uuid topicId, int partition) { }

    private final Map<Integer, Long> brokerEpochs = new HashMap<>();
    private final Map<PartitionKey, PartitionRegistration> lastSeen = new HashMap<>();
    private final Map<PartitionKey, Map<Integer, Integer>> leadersByEpoch = new HashMap<>();

    /**
     * Checks {@code image}; {@code caughtUp} says whether broker {@code id}, in its current registration,
     * has reported a metadata offset at least that of its registration (only then may it be unfenced).
     */
    void check(MetadataImage image, java.util.function.IntPredicate caughtUp) {
        for (BrokerRegistration broker : image.brokers().values()) {
            Long previous = brokerEpochs.put(broker.id(), broker.epoch());
            require(previous == null || broker.epoch() >= previous, "broker %d epoch went back from %d to %d", broker.id(), previous, broker.epoch());
            require(broker.fenced() || caughtUp.test(broker.id()), "broker %d (epoch %d) unfenced before it caught up with its registration",
                    broker.id(), broker.epoch());
        }
        for (TopicMetadata topic : image.topics()) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                checkPartition(image, topic.name(), new PartitionKey(topic.id(), i), topic.partition(i));
            }
        }
    }

    private void checkPartition(MetadataImage image, String topic, PartitionKey key, PartitionRegistration partition) {
        String where = topic + "-" + key.partition() + " " + partition;
        List<Integer> replicas = partition.replicas();
        require(!replicas.isEmpty() && new HashSet<>(replicas).size() == replicas.size(), "%s: replicas empty or repeated", where);
        require(!partition.isr().isEmpty(), "%s: empty ISR", where);
        require(new HashSet<>(partition.isr()).size() == partition.isr().size() && replicas.containsAll(partition.isr()),
                "%s: ISR repeated or not a subset of the replicas", where);
        if (partition.hasLeader()) {
            BrokerRegistration leader = image.brokers().get(partition.leader());
            require(leader != null, "%s: leader is not registered", where);
            require(leader.isActive(), "%s: leader is %s", where, leader.fenced() ? "fenced" : "in controlled shutdown");
            require(partition.isr().contains(partition.leader()), "%s: leader not in the ISR", where);
        } else {
            for (int member : partition.isr()) {
                BrokerRegistration broker = image.brokers().get(member);
                require(broker == null || !broker.isActive(), "%s: offline although ISR member %d is active", where, member);
            }
        }
        PartitionRegistration before = lastSeen.put(key, partition);
        if (before != null) {
            require(partition.leaderEpoch() >= before.leaderEpoch(), "%s: leader epoch went back from %d", where, before.leaderEpoch());
            require(partition.partitionEpoch() >= before.partitionEpoch(), "%s: partition epoch went back from %d", where, before.partitionEpoch());
        }
        Integer earlier = leadersByEpoch.computeIfAbsent(key, k -> new HashMap<>()).putIfAbsent(partition.leaderEpoch(), partition.leader());
        require(earlier == null || earlier == partition.leader(), "%s: leader epoch %d was led by %d before", where, partition.leaderEpoch(), earlier);
    }

    private static void require(boolean holds, String format, Object... args) {
        if (!holds) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
