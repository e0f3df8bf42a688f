package io.runnel.broker.handler;

import io.runnel.broker.acl.AuthorizedOperations;
import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata: the live brokers at their endpoints on the client's listener, and for each topic asked
 * (or all) its id, partitions, leaders and leader epochs, replicas and ISR. A topic that does not exist is created first when {@code auto.create.topics.enable} is on
 * and the client allows it, as Kafka does.
 */
public final class MetadataHandler implements ApiHandler {

    /** Kafka's internal topics: created by their coordinators with their own layout, never as ordinary topics. */

    private static final long AUTO_CREATE_WAIT_MS = 1_000;

    private final ClusterMetadata controller;
    private final ClusterView cluster;
    private final TopicCreator topicCreator;
    private final boolean autoCreateTopics;
    private final RequestAuthorizer authorizer;

    /**
     * A handler answering from {@code controller}'s image; a topic the principal may not DESCRIBE is left
     * out of an all-topics answer and answered TOPIC_AUTHORIZATION_FAILED when named, and auto-creation
     * needs CREATE on the cluster or the topic, as in Kafka.
     */
    public MetadataHandler(ClusterMetadata controller, ClusterView cluster, TopicCreator topicCreator, boolean autoCreateTopics,
                           RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.controller = controller;
        this.cluster = cluster;
        this.topicCreator = topicCreator;
        this.autoCreateTopics = autoCreateTopics;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        MetadataRequestData data = (MetadataRequestData) request.body();
        MetadataImage image = controller.image();
        String listener = cluster.listener(request);
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(image.clusterId())
                .setControllerId(cluster.controllerId(image));
        for (BrokerRegistration broker : cluster.liveBrokers(image)) {
            broker.endpoint(listener).ifPresent(endpoint -> response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(broker.id()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(broker.rack())));
        }
        boolean allowAutoCreate = request.apiVersion() < 4 || data.allowAutoTopicCreation();
        if (asksForAllTopics(data, request.apiVersion())) {
            image.topics().stream().filter(topic -> authorizer.authorizeTopic(request, AclOperation.DESCRIBE, topic.name()))
                    .forEach(topic -> response.topics().add(describe(topic, listener)));
        } else {
            Set<Object> seen = new HashSet<>();
            for (MetadataRequestData.MetadataRequestTopic wanted : data.topics()) {
                if (seen.add(wanted.name() != null ? wanted.name() : wanted.topicId())) {
                    response.topics().add(wanted.name() != null
                            ? byName(request, wanted.name(), allowAutoCreate && autoCreateTopics, listener)
                            : byId(request, wanted.topicId(), listener));
                }
            }
        }
        if (request.apiVersion() >= 8) {
            reportAuthorizedOperations(request, data, response);
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * The operations the principal may perform, when asked (v8+; the cluster's only up to v10): on each
     * topic answered by name and not refused for authorization, as Kafka fills them, and on the cluster.
     */
    private void reportAuthorizedOperations(KafkaRequest request, MetadataRequestData data, MetadataResponseData response) {
        if (request.apiVersion() <= 10 && data.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(AuthorizedOperations.ofCluster(authorizer, request));
        }
        if (data.includeTopicAuthorizedOperations()) {
            for (MetadataResponseTopic topic : response.topics()) {
                if (topic.name() != null && topic.errorCode() != Errors.TOPIC_AUTHORIZATION_FAILED.code()) {
                    topic.setTopicAuthorizedOperations(AuthorizedOperations.of(authorizer, request, ResourceType.TOPIC, topic.name()));
                }
            }
        }
    }

    /** Null asks for every topic; so does an empty list at version 0, which had no null. */
    private static boolean asksForAllTopics(MetadataRequestData data, short version) {
        return data.topics() == null || (version == 0 && data.topics().isEmpty());
    }

    private MetadataResponseTopic byName(KafkaRequest request, String name, boolean autoCreate, String listener) {
        if (!authorizer.authorizeTopic(request, AclOperation.DESCRIBE, name)) {
            return error(name, Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED);
        }
        if (!TopicNames.isValid(name)) {
            return error(name, Uuid.ZERO_UUID, Errors.INVALID_TOPIC_EXCEPTION);
        }
        MetadataImage image = controller.image();
        Optional<TopicMetadata> topic = image.topic(name);
        if (topic.isPresent()) {
            return describe(topic.get(), listener);
        }
        if (!autoCreate || TopicNames.isInternal(name)) {
            return error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        if (!authorizer.authorizeCluster(request, AclOperation.CREATE) && !authorizer.authorizeTopic(request, AclOperation.CREATE, name)) {
            return error(name, Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED);
        }
        try {
            // A quorum without a leader must not hold this handler thread for the forwarding timeout:
            // past a short wait the client is told to retry, as Kafka answers while a creation is pending.
            return describe(topicCreator.createWithDefaults(name).get(AUTO_CREATE_WAIT_MS, TimeUnit.MILLISECONDS), listener);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException | ApiException e) {
            // Another request may have created it meanwhile: then it simply exists. Otherwise the topic
            // is unknown, a retriable answer, as Kafka gives when auto-creation fails.
            return controller.image().topic(name).map(t -> describe(t, listener))
                    .orElseGet(() -> error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
    }

    private MetadataResponseTopic byId(KafkaRequest request, Uuid topicId, String listener) {
        // Topic ids are not taken as secret (Kafka's view): an unauthorized id is answered as such.
        return controller.image().topic(topicId)
                .map(t -> authorizer.authorizeTopic(request, AclOperation.DESCRIBE, t.name()) ? describe(t, listener)
                        : error(null, topicId, Errors.TOPIC_AUTHORIZATION_FAILED))
                .orElseGet(() -> error(null, topicId, Errors.UNKNOWN_TOPIC_ID));
    }

    /**
     * A topic's partitions as Kafka describes them: leader and epoch, replicas, ISR, and the replicas on
     * brokers that are not live; LEADER_NOT_AVAILABLE while a partition has no leader, and
     * LISTENER_NOT_FOUND if its leader has no endpoint on the client's listener.
     */
    private MetadataResponseTopic describe(TopicMetadata topic, String listener) {
        MetadataImage image = controller.image();
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(TopicNames.isInternal(topic.name()));
        for (int i = 0; i < topic.partitionCount(); i++) {
            PartitionRegistration partition = topic.partition(i);
            Errors error = Errors.NONE;
            if (!partition.hasLeader()) {
                error = Errors.LEADER_NOT_AVAILABLE;
            } else if (cluster.endpoint(image, partition.leader(), listener).isEmpty()) {
                error = Errors.LISTENER_NOT_FOUND;
            }
            List<Integer> offline = partition.replicas().stream()
                    .filter(replica -> image.broker(replica).map(BrokerRegistration::fenced).orElse(true)).toList();
            result.partitions().add(new MetadataResponsePartition()
                    .setErrorCode(error.code())
                    .setPartitionIndex(i)
                    .setLeaderId(partition.leader())
                    .setLeaderEpoch(partition.leaderEpoch())
                    .setReplicaNodes(partition.replicas())
                    .setIsrNodes(partition.isr())
                    .setOfflineReplicas(offline));
        }
        return result;
    }

    private static MetadataResponseTopic error(String name, Uuid topicId, Errors error) {
        return new MetadataResponseTopic().setName(name).setTopicId(topicId).setErrorCode(error.code());
    }
}
