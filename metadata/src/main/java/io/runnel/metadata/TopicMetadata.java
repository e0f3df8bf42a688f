package io.runnel.metadata;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic as the cluster knows it. Immutable.
 *
 * @param name the topic name
 * @param id the topic id, fixed for the topic's life
 * @param partitionCount how many partitions it has
 * @param configs the topic-level config overrides (Kafka names, e.g. {@code retention.ms})
 */
public record TopicMetadata(String name, Uuid id, int partitionCount, Map<String, String> configs) {

    public TopicMetadata {
        configs = Map.copyOf(configs);
    }

    /** This topic with other config overrides. */
    public TopicMetadata withConfigs(Map<String, String> newConfigs) {
        return new TopicMetadata(name, id, partitionCount, newConfigs);
    }

    /** This topic with another partition count. */
    public TopicMetadata withPartitionCount(int newPartitionCount) {
        return new TopicMetadata(name, id, newPartitionCount, configs);
    }
}
