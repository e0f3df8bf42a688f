package io.runnel.metadata.quorum;

import java.util.concurrent.CompletableFuture;

/**
 * The state replicated by a {@link RaftQuorum}, implemented by the layer above and called by the quorum.
 *
 * <p>Threading: {@link #apply}, {@link #snapshot} and {@link #restore} are called on one thread (Ratis'
 * state-machine updater; {@code restore} at start runs on the starting thread before any apply), never
 * concurrently. {@link #handleRequest}, {@link #onLeaderReady} and {@link #onLeaderChanged} are called on
 * Ratis RPC threads, concurrently with apply: they must not block, and should hand work to the thread that
 * owns the state.
 */
public interface QuorumStateMachine {

    /**
     * A committed entry, in log order, exactly once per entry on each voter (also on replay after restart for
     * entries after the last snapshot).
     */
    void apply(long index, byte[] entry);

    /** The state as of the last applied index, for a snapshot. Called on the same thread as apply, between applies. */
    byte[] snapshot();

    /** Replaces the state by a snapshot taken at {@code index} (at start, or when installed from the leader). */
    void restore(long index, byte[] snapshot);

    /**
     * A request sent by a {@link QuorumClient}, delivered on the current leader only; may complete later. A failed
     * future reaches the client as a {@link QuorumRequestException} carrying its message.
     */
    CompletableFuture<byte[]> handleRequest(byte[] request);

    /** This voter became leader and has applied an entry of its own term (Ratis notifyLeaderReady). */
    void onLeaderReady(long term);

    /**
     * The leader changed: this voter lost leadership, or some voter (possibly this one; then
     * {@link #onLeaderReady} follows once it may act) won it; {@code leaderId} -1 when unknown.
     */
    void onLeaderChanged(int leaderId, long term);
}
