package io.runnel.broker.handler;

import io.runnel.broker.quota.MutationQuota;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics with Kafka's checks, for CreateTopics and for auto-creation on Metadata: a legal
 * name, a positive partition count and replication factor, valid configs, here; whether the brokers
 * can hold the replicas, at the active controller, which places them. Thread-safe (the controller
 * serializes the creations themselves).
 */
public final class TopicCreator {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);
    private final ClusterMetadata controller;
    private final TopicConfigs topicConfigs;
    private final BrokerConfig brokerConfig;

    /** A creator that records topics through {@code controller}. */
    public TopicCreator(ClusterMetadata controller, TopicConfigs topicConfigs, BrokerConfig brokerConfig) {
        this.controller = controller;
        this.topicConfigs = topicConfigs;
        this.brokerConfig = brokerConfig;
    }

    /**
     * Checks and (unless {@code validateOnly}) creates a topic. {@code -1} partitions or replication
     * factor means the broker default; {@code assignments} (partition to replicas) are explicit
     * placements, or empty. The topic's partitions are recorded against {@code quota} once the local checks
     * pass (validate-only included, as Kafka's controller does), and given back if the controller refuses it.
     *
     * @return the topic as created (for validateOnly: as it would be, with a zero id)
     * @throws org.apache.kafka.common.errors.ApiException carrying Kafka's error for the first failed check
     */
    public TopicMetadata create(String name, int partitions, int replicationFactor, Map<Integer, List<Integer>> assignments,
                                Map<String, String> configs, boolean validateOnly, MutationQuota quota) {
        TopicNames.validate(name);
        if (TopicNames.isInternal(name)) {
            throw new InvalidTopicException("Topic " + name + " is an internal topic; the broker creates it when it is first needed.");
        }
        int partitionCount = assignments.isEmpty() ? (partitions == -1 ? brokerConfig.numPartitions() : partitions) : assignments.size();
        if (partitionCount < 1) {
            throw new InvalidPartitionsException("Number of partitions was set to an invalid non-positive value.");
        }
        int factor = replicationFactor == -1 ? brokerConfig.defaultReplicationFactor() : replicationFactor;
        checkReplicationFactor(factor);
        topicConfigs.validate(configs);
        quota.record(partitionCount);
        TopicMetadata topic;
        try {
            topic = controller.createTopic(name, partitionCount, factor, assignments, configs, validateOnly);
        } catch (RuntimeException e) {
            quota.giveBack(partitionCount);
            throw e;
        }
        if (validateOnly) {
            return topic;
        }
        log.info("Created topic {} with {} partition(s), id {}{}", name, partitionCount, topic.id(),
                configs.isEmpty() ? "" : ", configs " + configs);
        return topic;
    }

    /**
     * Creates a topic with the broker defaults, as auto-creation does, without blocking: the name is
     * checked at once (throwing Kafka's error), the creation completes through the controller.
     */
    public java.util.concurrent.CompletableFuture<TopicMetadata> createWithDefaults(String name) {
        TopicNames.validate(name);
        if (TopicNames.isInternal(name)) {
            throw new InvalidTopicException("Topic " + name + " is an internal topic; the broker creates it when it is first needed.");
        }
        checkReplicationFactor(brokerConfig.defaultReplicationFactor());
        return controller.createTopicAsync(name, brokerConfig.numPartitions(), brokerConfig.defaultReplicationFactor(), Map.of(), Map.of())
                .thenApply(topic -> {
                    log.info("Created topic {} with {} partition(s), id {}", name, topic.partitionCount(), topic.id());
                    return topic;
                });
    }

    /** The replication factor of topics created without one. */
    public int defaultReplicationFactor() {
        return brokerConfig.defaultReplicationFactor();
    }

    private static void checkReplicationFactor(int replicationFactor) {
        if (replicationFactor < 1) {
            throw new InvalidReplicationFactorException("Replication factor must be larger than 0, or -1 to use the default value.");
        }
    }
}
