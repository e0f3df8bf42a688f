package io.runnel.metadata.quorum;

/** No leader could be reached or the quorum could not commit: retry later (Kafka's NOT_CONTROLLER / timeout). */
public class QuorumUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QuorumUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
