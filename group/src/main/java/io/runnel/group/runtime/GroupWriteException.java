package io.runnel.group.runtime;

/**
 * Records could not be appended to {@code __consumer_offsets}. The caller answers the client with
 * a retriable coordinator error (as Kafka maps a failed append) and leaves its state unchanged.
 */
public final class GroupWriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failed append, with its cause. */
    public GroupWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
