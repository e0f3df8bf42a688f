package io.runnel.transaction;

import org.apache.kafka.common.protocol.Errors;

/** Kafka's mapping of a failed {@code __transaction_state} append to the error a client is told. */
final class WriteErrors {

    private WriteErrors() {
    }

    static Errors toClientError(Errors appendError) {
        return switch (appendError) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                    Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> Errors.UNKNOWN_SERVER_ERROR;
            default -> appendError;
        };
    }
}
