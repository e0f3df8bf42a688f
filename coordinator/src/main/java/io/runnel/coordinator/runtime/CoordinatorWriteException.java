package io.runnel.coordinator.runtime;

/**
 * Records could not be appended to a coordinator's internal topic. The cause is the append's
 * failure (a Kafka error when there is one); the caller answers the client with the coordinator
 * error Kafka maps it to and leaves its state unchanged.
 */
public final class CoordinatorWriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failed append, with its cause. */
    public CoordinatorWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
