package io.runnel.broker.handler;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.MetadataController;
import io.runnel.metadata.TopicMetadata;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics with Kafka's checks, for CreateTopics and for auto-creation on Metadata: a legal
 * name, a positive partition count, a replication factor the live brokers can meet, valid configs.
 * Thread-safe (the controller serializes the creations themselves).
 */
public final class TopicCreator {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);
    private static final int LIVE_BROKERS = 1;

    private final MetadataController controller;
    private final TopicConfigs topicConfigs;
    private final BrokerConfig brokerConfig;

    /** A creator that records topics through {@code controller}. */
    public TopicCreator(MetadataController controller, TopicConfigs topicConfigs, BrokerConfig brokerConfig) {
        this.controller = controller;
        this.topicConfigs = topicConfigs;
        this.brokerConfig = brokerConfig;
    }

    /**
     * Checks and (unless {@code validateOnly}) creates a topic. {@code -1} partitions or replication
     * factor means the broker default.
     *
     * @return the topic as created (for validateOnly: as it would be, with a zero id)
     * @throws org.apache.kafka.common.errors.ApiException carrying Kafka's error for the first failed check
     */
    public TopicMetadata create(String name, int partitions, int replicationFactor, Map<String, String> configs, boolean validateOnly) {
        TopicNames.validate(name);
        if (TopicNames.isInternal(name)) {
            throw new InvalidTopicException("Topic " + name + " is an internal topic; the broker creates it when it is first needed.");
        }
        int partitionCount = partitions == -1 ? brokerConfig.numPartitions() : partitions;
        if (partitionCount < 1) {
            throw new InvalidPartitionsException("Number of partitions was set to an invalid non-positive value.");
        }
        checkReplicationFactor(replicationFactor == -1 ? brokerConfig.defaultReplicationFactor() : replicationFactor);
        topicConfigs.validate(configs);
        if (validateOnly) {
            controller.checkCreatable(name);
            return new TopicMetadata(name, org.apache.kafka.common.Uuid.ZERO_UUID, partitionCount, configs);
        }
        TopicMetadata topic = controller.createTopic(name, partitionCount, configs);
        log.info("Created topic {} with {} partition(s), id {}{}", name, partitionCount, topic.id(),
                configs.isEmpty() ? "" : ", configs " + configs);
        return topic;
    }

    /** The replication factor of topics created without one. */
    public int defaultReplicationFactor() {
        return brokerConfig.defaultReplicationFactor();
    }

    private static void checkReplicationFactor(int replicationFactor) {
        if (replicationFactor < 1) {
            throw new InvalidReplicationFactorException("Replication factor must be larger than 0, or -1 to use the default value.");
        }
        if (replicationFactor > LIVE_BROKERS) {
            throw new InvalidReplicationFactorException("Unable to replicate the partition " + replicationFactor
                    + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + LIVE_BROKERS + " broker(s) are registered.");
        }
    }
}
