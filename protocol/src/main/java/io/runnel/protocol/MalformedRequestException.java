package io.runnel.protocol;

/**
 * A frame that cannot be parsed as a Kafka request. Kafka closes the connection on such a frame;
 * so does Runnel. Carries no stack trace: it is an expected client error, not a broker fault.
 */
public final class MalformedRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A malformed-request error with a message saying what was wrong. */
    public MalformedRequestException(String message) {
        super(message, null, false, false);
    }
}
