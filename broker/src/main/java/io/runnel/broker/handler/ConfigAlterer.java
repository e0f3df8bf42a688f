package io.runnel.broker.handler;

import io.runnel.broker.config.DynamicBrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the config overrides of a topic or the dynamic configs of a broker entity, for AlterConfigs
 * and IncrementalAlterConfigs: the new set is computed from the current one, validated as Kafka
 * validates it, and (unless only validating) committed as a metadata record, which the live logs
 * pick up at once. Thread-safe: changes are serialized, so two concurrent ones never lose each other.
 */
public final class ConfigAlterer {

    private static final Logger log = LoggerFactory.getLogger(ConfigAlterer.class);

    private final ClusterMetadata controller;
    private final ConfigResources resources;
    private final TopicConfigs topicConfigs;
    private final DynamicBrokerConfig brokerConfig;

    /** An alterer committing changes through {@code controller}. */
    public ConfigAlterer(ClusterMetadata controller, TopicConfigs topicConfigs, DynamicBrokerConfig brokerConfig) {
        this.controller = controller;
        this.resources = new ConfigResources(controller, brokerConfig);
        this.topicConfigs = topicConfigs;
        this.brokerConfig = brokerConfig;
    }

    /**
     * Applies {@code change} to the configs of the resource.
     *
     * @throws org.apache.kafka.common.errors.ApiException with Kafka's error for this resource
     */
    synchronized void alter(ConfigResource.Type type, String name, UnaryOperator<Map<String, String>> change, boolean validateOnly) {
        if (type == ConfigResource.Type.TOPIC) {
            alterTopic(name, change, validateOnly);
        } else {
            alterBroker(name, change, validateOnly);
        }
    }

    private void alterTopic(String name, UnaryOperator<Map<String, String>> change, boolean validateOnly) {
        TopicMetadata topic = resources.topic(name);
        if (TopicNames.isInternal(topic.name())) {
            throw new InvalidTopicException("Topic " + topic.name() + " is an internal topic; its configs belong to the broker.");
        }
        Map<String, String> configs = change.apply(topic.configs());
        topicConfigs.validate(configs);
        if (!validateOnly) {
            controller.alterTopicConfigs(topic.id(), configs);
            log.info("Altered configs of topic {}: {}", topic.name(), configs);
        }
    }

    private void alterBroker(String name, UnaryOperator<Map<String, String>> change, boolean validateOnly) {
        String entity = resources.brokerEntity(name);
        Map<String, String> configs = change.apply(controller.image().brokerConfigs(entity));
        brokerConfig.validate(entity, configs);
        if (!validateOnly) {
            controller.alterBrokerConfigs(entity, configs);
            if (entity.equals(brokerConfig.nodeId())) {
                brokerConfig.reloadFiles();
            }
            log.info("Altered dynamic configs of {}: {}",
                    MetadataImage.DEFAULT_BROKER.equals(entity) ? "the cluster default broker" : "broker " + entity, configs);
        }
    }

    /**
     * Runs {@code alter} on each resource of a request and tells {@code answer} how it went: null, or
     * the error of that resource alone. A resource named twice in one request is refused each time,
     * as Kafka refuses it.
     */
    static <R> void alterEach(Collection<R> resources, Function<R, String> key, Consumer<R> alter, BiConsumer<R, ApiException> answer) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        resources.forEach(resource -> {
            if (!seen.add(key.apply(resource))) {
                duplicated.add(key.apply(resource));
            }
        });
        for (R resource : resources) {
            try {
                if (duplicated.contains(key.apply(resource))) {
                    throw new InvalidRequestException("Error due to duplicate resources");
                }
                alter.accept(resource);
                answer.accept(resource, null);
            } catch (ApiException e) {
                answer.accept(resource, e);
            }
        }
    }

    /** The definition of a config of this resource type, or null if the name is not one. */
    static ConfigDef.ConfigKey key(ConfigResource.Type type, String name) {
        return (type == ConfigResource.Type.TOPIC ? TopicConfigs.keys() : io.runnel.broker.config.BrokerConfig.keys()).get(name);
    }
}
