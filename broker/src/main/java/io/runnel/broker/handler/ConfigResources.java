package io.runnel.broker.handler;

import io.runnel.broker.config.DynamicBrokerConfig;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What a config resource of DescribeConfigs or (Incremental)AlterConfigs names, with Kafka's errors
 * for one it does not: a topic that must exist, or a broker entity that is this node or the
 * cluster-wide default. Thread-safe.
 */
final class ConfigResources {

    private final ClusterMetadata controller;
    private final DynamicBrokerConfig brokerConfig;

    ConfigResources(ClusterMetadata controller, DynamicBrokerConfig brokerConfig) {
        this.controller = controller;
        this.brokerConfig = brokerConfig;
    }

    /**
     * The resource type; only topics and brokers have configs here.
     *
     * @throws InvalidRequestException for any other type (groups, client metrics, broker loggers)
     */
    static ConfigResource.Type type(byte id) {
        ConfigResource.Type type = ConfigResource.Type.forId(id);
        if (type != ConfigResource.Type.TOPIC && type != ConfigResource.Type.BROKER) {
            throw new InvalidRequestException("Unsupported resource type " + type + " (" + id + ")");
        }
        return type;
    }

    /**
     * The topic of this name.
     *
     * @throws org.apache.kafka.common.errors.InvalidTopicException if the name is not a legal one
     * @throws UnknownTopicOrPartitionException if no topic has it
     */
    TopicMetadata topic(String name) {
        TopicNames.validate(name);
        return controller.image().topic(name)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("The topic '" + name + "' does not exist."));
    }

    /**
     * The broker entity a resource name stands for: this node's id, or {@link MetadataImage#DEFAULT_BROKER}.
     *
     * @throws InvalidRequestException for another node or a name that is not a number, as Kafka answers
     */
    String brokerEntity(String name) {
        if (name == null || name.isEmpty()) {
            return MetadataImage.DEFAULT_BROKER;
        }
        try {
            Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Broker id must be an integer, but it is: " + name);
        }
        if (!name.equals(brokerConfig.nodeId())) {
            throw new InvalidRequestException("Unexpected broker id, expected " + brokerConfig.nodeId() + " or empty string, but received " + name);
        }
        return name;
    }
}
