package io.runnel.broker.handler;

import io.runnel.broker.quota.ControllerMutationQuotas;
import io.runnel.broker.quota.MutationQuota;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreatePartitions: raises a topic's partition count (never lowers it), with Kafka's checks on the
 * count here and on manual assignments at the active controller, which places new replicas. validateOnly
 * checks without changing anything. The controller serializes changes, so two requests never both raise
 * from the same count.
 */
public final class CreatePartitionsHandler implements ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(CreatePartitionsHandler.class);

    private final ClusterMetadata controller;
    /** The first version whose clients know THROTTLING_QUOTA_EXCEEDED (KIP-599); older ones are only throttled. */
    private static final int STRICT_QUOTA_SINCE_VERSION = 3;

    private final RequestAuthorizer authorizer;
    private final ControllerMutationQuotas mutationQuotas;

    /**
     * A handler adding partitions through {@code controller}; a topic needs ALTER, else TOPIC_AUTHORIZATION_FAILED; the
     * partitions added count against the client's controller_mutation_rate quota.
     */
    public CreatePartitionsHandler(ClusterMetadata controller, RequestAuthorizer authorizer, ControllerMutationQuotas mutationQuotas) {
        this.authorizer = authorizer;
        this.mutationQuotas = mutationQuotas;
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        CreatePartitionsRequestData data = (CreatePartitionsRequestData) request.body();
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        Set<String> duplicated = duplicatedNames(data.topics());
        Set<String> answered = new HashSet<>();
        MutationQuota quota = mutationQuotas.forRequest(request, STRICT_QUOTA_SINCE_VERSION);
        for (CreatePartitionsTopic topic : data.topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name()).setErrorMessage(null);
            try {
                if (duplicated.contains(topic.name())) {
                    throw new InvalidRequestException("Duplicate topic in request.");
                }
                if (!authorizer.authorizeTopic(request, AclOperation.ALTER, topic.name())) {
                    throw new TopicAuthorizationException("The topic authorization is failed.");
                }
                addPartitions(topic, data.validateOnly(), quota);
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        response.setThrottleTimeMs(quota.throttleTimeMs());
        return CompletableFuture.completedFuture(response);
    }

    private static Set<String> duplicatedNames(Iterable<CreatePartitionsTopic> topics) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        topics.forEach(topic -> {
            if (!seen.add(topic.name())) {
                duplicated.add(topic.name());
            }
        });
        return duplicated;
    }

    private void addPartitions(CreatePartitionsTopic request, boolean validateOnly, MutationQuota quota) {
        TopicMetadata topic = controller.image().topic(request.name())
                .orElseThrow(() -> new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
        if (TopicNames.isInternal(topic.name())) {
            // __consumer_offsets maps groups to partitions by count: more partitions would move every group.
            throw new InvalidTopicException("Topic " + topic.name() + " is an internal topic; its partition count belongs to the broker.");
        }
        int current = topic.partitionCount();
        if (request.count() < current) {
            throw new InvalidPartitionsException("The topic " + topic.name() + " currently has " + current + " partition(s); "
                    + request.count() + " would not be an increase.");
        }
        if (request.count() == current) {
            throw new InvalidPartitionsException("Topic already has " + current + " partition(s).");
        }
        List<List<Integer>> assignments = request.assignments() == null ? List.of()
                : request.assignments().stream().map(CreatePartitionsAssignment::brokerIds).toList();
        int added = request.count() - current;
        quota.record(added);
        try {
            controller.createPartitions(topic.id(), request.count(), assignments, validateOnly);
        } catch (RuntimeException e) {
            quota.giveBack(added);
            throw e;
        }
        if (!validateOnly) {
            log.info("Topic {} now has {} partitions (was {})", topic.name(), request.count(), current);
        }
    }
}
