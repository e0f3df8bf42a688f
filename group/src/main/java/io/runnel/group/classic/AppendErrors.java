package io.runnel.group.classic;

import io.runnel.coordinator.runtime.CoordinatorWriteException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The error a client gets when the group's record could not be written, as Kafka's
 * {@code appendGroupMetadataErrorToResponseError} maps a failed append. A failure without a Kafka
 * error as its cause (an I/O error, say) is answered COORDINATOR_NOT_AVAILABLE, which every client
 * retries after looking up the coordinator again.
 */
final class AppendErrors {

    private AppendErrors() {
    }

    static Errors toResponseError(CoordinatorWriteException failure) {
        Throwable cause = failure.getCause();
        if (!(cause instanceof ApiException)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        return toResponseError(Errors.forException(cause));
    }

    static Errors toResponseError(Errors appendError) {
        return switch (appendError) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.UNKNOWN_SERVER_ERROR;
            default -> appendError;
        };
    }
}
