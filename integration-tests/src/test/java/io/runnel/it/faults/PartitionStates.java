package io.runnel.it.faults;

import io.runnel.it.support.RawKafkaConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The leader, epoch, replicas and ISR of each partition of a topic, as one node answers Metadata itself
 * (an Admin client may send to whichever broker it likes, a stale or frozen one too). Immutable.
 *
 * @param byPartition partition number to its state
 */
record PartitionStates(Map<Integer, PartitionStates.State> byPartition) {

    /** What Kafka reports as the leader of a partition without one. */
    static final int NO_LEADER = -1;

    /** One partition's state. */
    record State(int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
    }

    /** Asks {@code bootstrap} (one node's address) for the state of {@code topic}'s partitions. */
    static PartitionStates askNode(String bootstrap, String topic) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap)) {
            MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false);
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
            MetadataResponseData response = connection.call(ApiKeys.METADATA, (short) 12, request);
            Map<Integer, State> states = new TreeMap<>();
            response.topics().forEach(answer -> answer.partitions().forEach(partition -> states.put(partition.partitionIndex(),
                    new State(partition.leaderId(), partition.leaderEpoch(), List.copyOf(partition.replicaNodes()), List.copyOf(partition.isrNodes())))));
            return new PartitionStates(Map.copyOf(states));
        }
    }

    /** The partitions {@code nodeId} leads. */
    Set<Integer> ledBy(int nodeId) {
        return byPartition.entrySet().stream().filter(e -> e.getValue().leader() == nodeId).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Whether all {@code partitions} partitions exist and have a leader, none of them in {@code excluded}. */
    boolean allLedOutside(int partitions, Set<Integer> excluded) {
        return byPartition.size() == partitions && byPartition.values().stream()
                .allMatch(state -> state.leader() != NO_LEADER && !excluded.contains(state.leader()));
    }

    /** Whether every partition has a leader and all its replicas in sync. */
    boolean fullyInSync(int partitions) {
        return byPartition.size() == partitions && byPartition.values().stream()
                .allMatch(state -> state.leader() != NO_LEADER && Set.copyOf(state.isr()).equals(Set.copyOf(state.replicas())));
    }
}
