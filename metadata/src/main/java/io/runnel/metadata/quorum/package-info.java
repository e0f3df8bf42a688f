/**
 * A generic replicated log on Apache Ratis (Netty transport). It knows nothing about metadata records:
 * entries, snapshots and requests are opaque bytes.
 *
 * <p>A voter runs a {@link io.runnel.metadata.quorum.RaftQuorum}; the layer above implements
 * {@link io.runnel.metadata.quorum.QuorumStateMachine} (apply, snapshot, restore, leader-only requests).
 * Any node reaches the leader's request handler through a {@link io.runnel.metadata.quorum.QuorumClient}.
 * Ratis types stay inside this package.
 */
package io.runnel.metadata.quorum;
