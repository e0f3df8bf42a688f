package io.runnel.metadata.quorum;

import java.util.List;

/**
 * A point-in-time view of the quorum as one voter sees it, shaped for Kafka's DescribeQuorum. Immutable.
 * Per-voter progress is known only on the leader; elsewhere log ends and times are -1 except for the local voter.
 *
 * @param leaderId the current leader's node id, -1 when unknown
 * @param term the current term (Kafka's leader epoch)
 * @param highWatermark the commit index as known locally
 * @param voters one entry per voter, in configuration order
 * @param observers nodes that follow the log without voting, as far as this voter knows of them (a leader: those that
 *        fetched from it lately; {@link RaftQuorum#status()} knows of none)
 */
public record QuorumStatus(int leaderId, long term, long highWatermark, List<VoterStatus> voters,
        List<VoterStatus> observers) {

    public QuorumStatus {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }

    /**
     * One replica's progress, a voter's or an observer's.
     *
     * @param nodeId the replica's node id
     * @param logEndIndex the last log index known to be on that replica (a voter's match index, an observer's fetch offset), -1 unknown
     * @param lastFetchTimestampMs wall-clock time of its last successful exchange with the leader, -1 unknown
     * @param lastCaughtUpTimestampMs {@code lastFetchTimestampMs} if its log end has reached the high watermark, else -1
 *        (Ratis does not track when a follower last caught up)
     */
    public record VoterStatus(int nodeId, long logEndIndex, long lastFetchTimestampMs, long lastCaughtUpTimestampMs) {
    }
}
