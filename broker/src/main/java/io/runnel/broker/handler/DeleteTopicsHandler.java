package io.runnel.broker.handler;

import io.runnel.broker.quota.ControllerMutationQuotas;
import io.runnel.broker.quota.MutationQuota;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** DeleteTopics: by name (up to v5) or by name or id (v6). */
public final class DeleteTopicsHandler implements ApiHandler {

    /** The first version whose clients know THROTTLING_QUOTA_EXCEEDED (KIP-599); older ones are only throttled. */
    private static final int STRICT_QUOTA_SINCE_VERSION = 5;

    private final ClusterMetadata controller;
    private final boolean deletionEnabled;
    private final RequestAuthorizer authorizer;
    private final ControllerMutationQuotas mutationQuotas;

    /**
     * A handler deleting topics through {@code controller}; {@code delete.topic.enable} as given; a topic
     * needs DELETE, else TOPIC_AUTHORIZATION_FAILED; its partitions count against the client's controller_mutation_rate
     * quota.
     */
    public DeleteTopicsHandler(ClusterMetadata controller, boolean deletionEnabled, RequestAuthorizer authorizer,
                               ControllerMutationQuotas mutationQuotas) {
        this.authorizer = authorizer;
        this.mutationQuotas = mutationQuotas;
        this.controller = controller;
        this.deletionEnabled = deletionEnabled;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DeleteTopicsRequestData data = (DeleteTopicsRequestData) request.body();
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        MutationQuota quota = mutationQuotas.forRequest(request, STRICT_QUOTA_SINCE_VERSION);
        if (request.apiVersion() >= 6) {
            data.topics().forEach(topic -> response.responses().add(delete(request, topic.name(), topic.topicId(), quota)));
        } else {
            data.topicNames().forEach(name -> response.responses().add(delete(request, name, Uuid.ZERO_UUID, quota)));
        }
        response.setThrottleTimeMs(quota.throttleTimeMs());
        return CompletableFuture.completedFuture(response);
    }

    private DeletableTopicResult delete(KafkaRequest request, String name, Uuid topicId, MutationQuota quota) {
        DeletableTopicResult result = new DeletableTopicResult().setName(name).setTopicId(topicId);
        if (name != null && !Uuid.ZERO_UUID.equals(topicId)) {
            return result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("You may not specify both topic name and topic id.");
        }
        if (!deletionEnabled) {
            return result.setErrorCode(Errors.TOPIC_DELETION_DISABLED.code());
        }
        Optional<TopicMetadata> topic = name != null ? controller.image().topic(name) : controller.image().topic(topicId);
        if (name != null && !authorizer.authorizeTopic(request, AclOperation.DELETE, name)) {
            // before the existence check: a name the principal may not delete discloses nothing
            return result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
        }
        if (topic.isEmpty()) {
            Errors error = name != null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.UNKNOWN_TOPIC_ID;
            return result.setErrorCode(error.code()).setErrorMessage(error.message());
        }
        if (name == null && !authorizer.authorizeTopic(request, AclOperation.DELETE, topic.get().name())) {
            return result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
        }
        if (TopicNames.isInternal(topic.get().name())) {
            // Safer than Kafka, which leaves this check to its command-line tool: deleting
            // __consumer_offsets would lose every group's committed offsets at the next restart.
            return result.setName(topic.get().name()).setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code())
                    .setErrorMessage("Topic " + topic.get().name() + " is an internal topic and cannot be deleted.");
        }
        try {
            TopicMetadata deleted = delete(topic.get(), quota);
            return result.setName(deleted.name()).setTopicId(deleted.id());
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
    }

    /** Deletes {@code topic} once its partitions fit the quota; gives them back if the controller refuses. */
    private TopicMetadata delete(TopicMetadata topic, MutationQuota quota) {
        quota.record(topic.partitionCount());
        try {
            return controller.deleteTopic(topic.id());
        } catch (RuntimeException e) {
            quota.giveBack(topic.partitionCount());
            throw e;
        }
    }
}
