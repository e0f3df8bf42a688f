package io.runnel.metadata.node;

import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.controller.ControllerChannel;
import io.runnel.metadata.quorum.QuorumStatus;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A node's part in cluster metadata: the committed image it replays, and the channel to the active
 * controller. A node alone keeps its own metadata log and is always the active controller
 * ({@link LocalMetadataNode}); in a cluster the log is the Raft quorum's ({@link QuorumMetadataNode}).
 * Thread-safe.
 */
public interface MetadataNode extends AutoCloseable {

    /** The committed metadata as this node has replayed it. */
    MetadataPublisher publisher();

    /** Where this node sends controller commands. */
    ControllerChannel controller();

    /** The node id of the active controller, if known. */
    OptionalInt activeControllerId();

    /** This node's id. */
    int nodeId();

    /**
     * The quorum as its leader sees it (leader, term, high watermark, each voter's and observer's progress),
     * asked of the leader where this node is not it. Fails if no leader answers within the quorum's request
     * timeout. Completes on a quorum thread.
     */
    CompletableFuture<QuorumStatus> quorumStatus();

    /**
     * The last committed metadata offset as this node knows it, if it does: a voter learns it from the
     * leader, a node alone commits itself; a broker that does not vote only sees what it fetched.
     */
    OptionalLong committedOffset();

    /** Stops taking part: no more replay, no more commands. */
    @Override
    void close();
}
