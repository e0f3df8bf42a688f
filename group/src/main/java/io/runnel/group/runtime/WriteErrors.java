package io.runnel.group.runtime;

import io.runnel.coordinator.runtime.CoordinatorWriteException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Maps a failed append to the error the client sees, as Kafka's
 * {@code GroupCoordinatorService.handleOperationException} does. Stateless.
 */
public final class WriteErrors {

    private WriteErrors() {
    }

    public static Errors map(CoordinatorWriteException failure) {
        Errors cause = failure.getCause() == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forException(failure.getCause());
        switch (cause) {
            case NOT_LEADER_OR_FOLLOWER:
            case KAFKA_STORAGE_ERROR:
                return Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE:
            case RECORD_LIST_TOO_LARGE:
            case INVALID_FETCH_SIZE:
                return Errors.UNKNOWN_SERVER_ERROR;
            case UNKNOWN_TOPIC_OR_PARTITION:
            case NOT_ENOUGH_REPLICAS:
            case REQUEST_TIMED_OUT:
            case UNKNOWN_SERVER_ERROR: // not a Kafka error, e.g. an I/O error: retriable for the client
                return Errors.COORDINATOR_NOT_AVAILABLE;
            default:
                return cause;
        }
    }
}
