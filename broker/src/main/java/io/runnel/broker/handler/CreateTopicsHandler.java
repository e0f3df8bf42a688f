package io.runnel.broker.handler;

import io.runnel.broker.config.DynamicBrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.broker.quota.ControllerMutationQuotas;
import io.runnel.broker.quota.MutationQuota;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** CreateTopics: each topic checked and created on its own; validate-only checks without creating. */
public final class CreateTopicsHandler implements ApiHandler {

    /** The first version whose clients know THROTTLING_QUOTA_EXCEEDED (KIP-599); older ones are only throttled. */
    private static final int STRICT_QUOTA_SINCE_VERSION = 6;
    /** Kafka's cap on the partitions one request may create, so a single request cannot exhaust the broker. */
    private static final int MAX_PARTITIONS_PER_REQUEST = 10_000;

    private final TopicCreator topicCreator;
    private final ConfigDescriber configDescriber;
    private final RequestAuthorizer authorizer;
    private final ControllerMutationQuotas mutationQuotas;

    /**
     * A handler creating through {@code topicCreator}, answering configs as DescribeConfigs would; a topic needs CREATE
     * on the cluster or on itself, else TOPIC_AUTHORIZATION_FAILED; its partitions count against the client's
     * controller_mutation_rate quota.
     */
    public CreateTopicsHandler(TopicCreator topicCreator, TopicConfigs topicConfigs, DynamicBrokerConfig brokerConfig, RequestAuthorizer authorizer,
                               ControllerMutationQuotas mutationQuotas) {
        this.authorizer = authorizer;
        this.mutationQuotas = mutationQuotas;
        this.topicCreator = topicCreator;
        this.configDescriber = new ConfigDescriber(topicConfigs, brokerConfig);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        CreateTopicsRequestData data = (CreateTopicsRequestData) request.body();
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        if (requestedPartitions(data) > MAX_PARTITIONS_PER_REQUEST) {
            data.topics().forEach(topic -> response.topics().add(failed(topic.name(),
                    new PolicyViolationException("Excessively large number of partitions per request."))));
            return CompletableFuture.completedFuture(response);
        }
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        data.topics().forEach(topic -> {
            if (!seen.add(topic.name())) {
                duplicated.add(topic.name());
            }
        });
        boolean mayCreateAny = authorizer.authorizeCluster(request, AclOperation.CREATE);
        MutationQuota quota = mutationQuotas.forRequest(request, STRICT_QUOTA_SINCE_VERSION);
        for (CreatableTopic topic : data.topics()) {
            if (response.topics().find(topic.name()) != null) {
                continue;
            }
            CreatableTopicResult result = duplicated.contains(topic.name())
                    ? failed(topic.name(), new InvalidRequestException("Create topics request from client contains multiple entries for topic " + topic.name()))
                    : !mayCreateAny && !authorizer.authorizeTopic(request, AclOperation.CREATE, topic.name())
                    ? failed(topic.name(), new TopicAuthorizationException("Authorization failed."))
                    : create(topic, data.validateOnly(), request.apiVersion(), quota);
            response.topics().add(result);
        }
        response.setThrottleTimeMs(quota.throttleTimeMs());
        return CompletableFuture.completedFuture(response);
    }

    private static long requestedPartitions(CreateTopicsRequestData data) {
        long total = 0;
        for (CreatableTopic topic : data.topics()) {
            total += topic.assignments().isEmpty() ? Math.max(topic.numPartitions(), 1) : topic.assignments().size();
        }
        return total;
    }

    private CreatableTopicResult create(CreatableTopic topic, boolean validateOnly, short version, MutationQuota quota) {
        try {
            Map<String, String> configs = new HashMap<>();
            topic.configs().forEach(config -> configs.put(config.name(), config.value()));
            int partitions = topic.numPartitions();
            int replicationFactor = topic.replicationFactor();
            Map<Integer, List<Integer>> assignments = new HashMap<>();
            if (!topic.assignments().isEmpty()) {
                checkAssignments(topic);
                topic.assignments().forEach(assignment -> assignments.put(assignment.partitionIndex(), assignment.brokerIds()));
                replicationFactor = topic.assignments().iterator().next().brokerIds().size();
            }
            TopicMetadata created = topicCreator.create(topic.name(), partitions, replicationFactor, assignments, configs, validateOnly, quota);
            CreatableTopicResult result = new CreatableTopicResult()
                    .setName(topic.name())
                    .setErrorMessage(null)
                    .setTopicId(created.id())
                    .setNumPartitions(created.partitionCount())
                    .setReplicationFactor((short) (replicationFactor == -1 ? topicCreator.defaultReplicationFactor() : replicationFactor));
            if (version >= 5) {
                addConfigs(result, created);
            }
            return result;
        } catch (ApiException e) {
            return failed(topic.name(), e);
        }
    }

    /** The request-level checks of explicit assignments; the controller checks the brokers they name. */
    private static void checkAssignments(CreatableTopic topic) {
        if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
            throw new InvalidRequestException("Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
        }
        int replicationFactor = topic.assignments().iterator().next().brokerIds().size();
        topic.assignments().forEach(assignment -> {
            if (assignment.brokerIds().size() != replicationFactor) {
                throw new InvalidReplicaAssignmentException("All partitions should have the same number of replicas.");
            }
        });
    }

    private void addConfigs(CreatableTopicResult result, TopicMetadata topic) {
        configDescriber.topic(topic, null, false).forEach(config -> result.configs().add(new CreatableTopicConfigs()
                .setName(config.name())
                .setValue(config.value())
                .setReadOnly(config.readOnly())
                .setIsSensitive(config.isSensitive())
                .setConfigSource(config.configSource())));
    }

    private static CreatableTopicResult failed(String name, ApiException e) {
        return new CreatableTopicResult()
                .setName(name)
                .setErrorCode(Errors.forException(e).code())
                .setErrorMessage(e.getMessage());
    }
}
