package io.runnel.metadata.quorum;

/** The leader's {@link QuorumStateMachine#handleRequest} failed; the message is the one it failed with. */
public class QuorumRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QuorumRequestException(String message) {
        super(message);
    }
}
