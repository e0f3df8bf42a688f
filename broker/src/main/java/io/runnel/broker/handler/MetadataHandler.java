package io.runnel.broker.handler;

import io.runnel.metadata.MetadataController;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: the brokers, and for each topic asked (or all) its id, partitions, leaders and leader
 * epochs. A topic that does not exist is created first when {@code auto.create.topics.enable} is on
 * and the client allows it, as Kafka does.
 */
public final class MetadataHandler implements ApiHandler {

    /** Kafka's internal topics: created by their coordinators with their own layout, never as ordinary topics. */

    private final MetadataController controller;
    private final TopicCreator topicCreator;
    private final Supplier<ClusterIdentity> identity;
    private final boolean autoCreateTopics;

    /** A handler answering from {@code controller}'s image. */
    public MetadataHandler(MetadataController controller, TopicCreator topicCreator, Supplier<ClusterIdentity> identity, boolean autoCreateTopics) {
        this.controller = controller;
        this.topicCreator = topicCreator;
        this.identity = identity;
        this.autoCreateTopics = autoCreateTopics;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        MetadataRequestData data = (MetadataRequestData) request.body();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(identity.get().clusterId())
                .setControllerId(identity.get().nodeId());
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(identity.get().nodeId()).setHost(identity.get().host()).setPort(identity.get().port()));
        boolean allowAutoCreate = request.apiVersion() < 4 || data.allowAutoTopicCreation();
        if (asksForAllTopics(data, request.apiVersion())) {
            controller.image().topics().forEach(topic -> response.topics().add(describe(topic)));
        } else {
            Set<Object> seen = new HashSet<>();
            for (MetadataRequestData.MetadataRequestTopic wanted : data.topics()) {
                if (seen.add(wanted.name() != null ? wanted.name() : wanted.topicId())) {
                    response.topics().add(wanted.name() != null
                            ? byName(wanted.name(), allowAutoCreate && autoCreateTopics)
                            : byId(wanted.topicId()));
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Null asks for every topic; so does an empty list at version 0, which had no null. */
    private static boolean asksForAllTopics(MetadataRequestData data, short version) {
        return data.topics() == null || (version == 0 && data.topics().isEmpty());
    }

    private MetadataResponseTopic byName(String name, boolean autoCreate) {
        if (!TopicNames.isValid(name)) {
            return error(name, Uuid.ZERO_UUID, Errors.INVALID_TOPIC_EXCEPTION);
        }
        MetadataImage image = controller.image();
        Optional<TopicMetadata> topic = image.topic(name);
        if (topic.isPresent()) {
            return describe(topic.get());
        }
        if (!autoCreate || TopicNames.isInternal(name)) {
            return error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        try {
            return describe(topicCreator.create(name, -1, -1, Map.of(), false));
        } catch (ApiException e) {
            // Another request may have created it meanwhile: then it simply exists. Otherwise the topic
            // is unknown, a retriable answer, as Kafka gives when auto-creation fails.
            return controller.image().topic(name).map(this::describe)
                    .orElseGet(() -> error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
    }

    private MetadataResponseTopic byId(Uuid topicId) {
        return controller.image().topic(topicId).map(this::describe)
                .orElseGet(() -> error(null, topicId, Errors.UNKNOWN_TOPIC_ID));
    }

    private MetadataResponseTopic describe(TopicMetadata topic) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(TopicNames.isInternal(topic.name()));
        List<Integer> replicas = List.of(identity.get().nodeId());
        for (int i = 0; i < topic.partitionCount(); i++) {
            result.partitions().add(new MetadataResponsePartition()
                    .setPartitionIndex(i)
                    .setLeaderId(identity.get().nodeId())
                    .setLeaderEpoch(io.runnel.broker.partition.Partition.INITIAL_LEADER_EPOCH)
                    .setReplicaNodes(replicas)
                    .setIsrNodes(replicas));
        }
        return result;
    }

    private static MetadataResponseTopic error(String name, Uuid topicId, Errors error) {
        return new MetadataResponseTopic().setName(name).setTopicId(topicId).setErrorCode(error.code());
    }
}
