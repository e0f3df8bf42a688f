package io.runnel.metadata.node;

import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.controller.ControllerChannel;
import java.util.OptionalInt;

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

    /** Stops taking part: no more replay, no more commands. */
    @Override
    void close();
}
