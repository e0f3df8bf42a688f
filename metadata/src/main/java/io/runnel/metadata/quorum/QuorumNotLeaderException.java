package io.runnel.metadata.quorum;

import java.util.OptionalInt;

/** {@link RaftQuorum#append} was called on a voter that is not (or no longer) the leader. */
public class QuorumNotLeaderException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient OptionalInt leaderId;

    public QuorumNotLeaderException(String message, OptionalInt leaderId) {
        super(message);
        this.leaderId = leaderId;
    }

    /** The leader this voter knows of, if any. */
    public OptionalInt leaderId() {
        return leaderId;
    }
}
