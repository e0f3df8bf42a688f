package io.runnel.group.consumer;

import java.util.List;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;

/**
 * The field checks of Kafka's {@code throwIfConsumerGroupHeartbeatRequestIsInvalid}, with its error
 * messages. Stateless.
 */
final class HeartbeatValidator {

    /** From this version the client generates its member id (KIP-1082). */
    static final short CONSUMER_GENERATED_MEMBER_ID_REQUIRED_VERSION = 1;

    private HeartbeatValidator() {
    }

    /**
     * Checks the request's fields.
     *
     * @throws InvalidRequestException       if a field is missing or malformed
     * @throws UnsupportedAssignorException if the requested server assignor is not configured
     */
    static void validate(ConsumerGroupHeartbeatRequestData request, short apiVersion, List<String> assignors) {
        int epoch = request.memberEpoch();
        if (apiVersion >= CONSUMER_GENERATED_MEMBER_ID_REQUIRED_VERSION || epoch > 0
                || epoch == ConsumerGroupMember.LEAVE_GROUP_MEMBER_EPOCH) {
            throwIfEmpty(request.memberId(), "MemberId can't be empty.");
        }
        throwIfEmpty(request.groupId(), "GroupId can't be empty.");
        throwIfEmpty(request.instanceId(), "InstanceId can't be empty.");
        throwIfEmpty(request.rackId(), "RackId can't be empty.");
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw new InvalidRequestException("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw new InvalidRequestException("TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw new InvalidRequestException("Either SubscribedTopicNames or SubscribedTopicRegex must"
                        + " be non-null when (re-)joining.");
            }
        } else if (epoch == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            if (request.instanceId() == null) {
                throw new InvalidRequestException("InstanceId can't be null.");
            }
        } else if (epoch < ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            throw new InvalidRequestException("MemberEpoch is invalid.");
        }
        if (request.serverAssignor() != null && !assignors.contains(request.serverAssignor())) {
            throw new UnsupportedAssignorException("ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", assignors) + ".");
        }
    }

    /** Kafka treats null as absent, and a blank string as empty. */
    private static void throwIfEmpty(String value, String message) {
        if (value != null && value.trim().isEmpty()) {
            throw new InvalidRequestException(message);
        }
    }
}
