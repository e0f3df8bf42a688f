package io.runnel.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic as the cluster knows it. Immutable.
 *
 * @param name the topic name
 * @param id the topic id, fixed for the topic's life
 * @param partitions each partition's replicas and leadership, by partition index
 * @param configs the topic-level config overrides (Kafka names, e.g. {@code retention.ms})
 */
public record TopicMetadata(String name, Uuid id, List<PartitionRegistration> partitions, Map<String, String> configs) {

    public TopicMetadata {
        partitions = List.copyOf(partitions);
        configs = Map.copyOf(configs);
    }

    /** How many partitions it has. */
    public int partitionCount() {
        return partitions.size();
    }

    /** Partition {@code index}'s registration. */
    public PartitionRegistration partition(int index) {
        return partitions.get(index);
    }

    /** This topic with other config overrides. */
    public TopicMetadata withConfigs(Map<String, String> newConfigs) {
        return new TopicMetadata(name, id, partitions, newConfigs);
    }

    /** This topic with partition {@code index} set (added at the end when it is the next index). */
    public TopicMetadata withPartition(int index, PartitionRegistration partition) {
        List<PartitionRegistration> changed = new ArrayList<>(partitions);
        if (index == changed.size()) {
            changed.add(partition);
        } else {
            changed.set(index, partition);
        }
        return new TopicMetadata(name, id, changed, configs);
    }
}
