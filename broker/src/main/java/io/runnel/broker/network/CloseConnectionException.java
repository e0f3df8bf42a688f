package io.runnel.broker.network;

/**
 * Completes a request's future to ask that its connection be closed instead of answered: Kafka's way
 * to tell an acks=0 producer that a write failed, since it reads no response.
 */
public final class CloseConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A close request, with the reason to log. */
    public CloseConnectionException(String reason) {
        super(reason, null, false, false);
    }
}
