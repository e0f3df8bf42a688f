package io.runnel.coordinator.runtime;

import java.nio.ByteBuffer;

/**
 * A coordinator's state machine as the runtime loads and unloads it, one partition of its internal
 * topic at a time: the broker serves the keys of the partitions it leads. Called only on the
 * coordinator thread. For a partition: {@link #beginLoading}, then {@link #replay} and
 * {@link #replayMarker} of its log from the start, then {@link #completeLoading}; and
 * {@link #unloadPartition} when the broker stops leading it (which may come at any point of that).
 */
public interface CoordinatorShard {

    /**
     * The broker leads {@code partition} at {@code coordinatorEpoch} (its leader epoch) and is about to
     * replay its records; until {@link #completeLoading} its keys answer COORDINATOR_LOAD_IN_PROGRESS.
     * What the shard held of the partition is dropped first, so loading again starts afresh.
     *
     * @param partitionCount the topic's real partition count, which keys are spread over
     */
    void beginLoading(int partition, int partitionCount, int coordinatorEpoch);

    /**
     * One record of a loading partition, at {@code offset}, as its batch wrote it: a producer id of -1
     * for a non-transactional batch. A record the shard cannot read may throw: the loader logs and skips it.
     */
    void replay(int partition, long offset, long producerId, short producerEpoch, ByteBuffer key, ByteBuffer value);

    /** A transaction marker of a loading partition: the producer's open transaction there committed or aborted. */
    void replayMarker(int partition, long producerId, short producerEpoch, boolean commit);

    /**
     * Every record of {@code partition} is replayed: the shard serves its keys from now on.
     *
     * @return false (and nothing done) if the partition is not loading, e.g. it was unloaded meanwhile
     */
    boolean completeLoading(int partition);

    /** The broker no longer leads {@code partition}: its state is dropped, nothing written; later requests answer NOT_COORDINATOR. */
    void unloadPartition(int partition);
}
