package io.runnel.coordinator.runtime;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;

/**
 * Which partitions of its internal topic a coordinator serves, and so which keys, with the
 * coordinator epoch (the partition's leader epoch) each was loaded at. In single-node mode it owns
 * every partition; in cluster mode it owns none until one is loaded, as a Kafka broker coordinates
 * only the partitions it leads. Confined to the coordinator thread.
 */
public final class PartitionOwnership {

    /** A partition the coordinator holds: its records replaying, or its keys served. */
    public enum State { LOADING, OWNED }

    private record Held(State state, int coordinatorEpoch) { }

    private final boolean ownsAll;
    private final Map<Integer, Held> held = new HashMap<>();
    private int partitionCount;

    private PartitionOwnership(boolean ownsAll, int partitionCount) {
        this.ownsAll = ownsAll;
        setPartitionCount(partitionCount);
    }

    /** Single-node mode: every partition is owned, without loading. */
    public static PartitionOwnership all(int partitionCount) {
        return new PartitionOwnership(true, partitionCount);
    }

    /** Cluster mode: no partition is owned until it has loaded. */
    public static PartitionOwnership loadedOnly(int partitionCount) {
        return new PartitionOwnership(false, partitionCount);
    }

    public boolean ownsAll() {
        return ownsAll;
    }

    /**
     * Sets the partition count keys are spread over.
     *
     * @throws IllegalStateException if a partition is loading or owned: its keys would move
     */
    private void setPartitionCount(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("A coordinator topic needs at least one partition, not " + count);
        }
        if (!held.isEmpty()) {
            throw new IllegalStateException("Cannot change the partition count while partitions " + held.keySet()
                    + " are loading or owned");
        }
        partitionCount = count;
    }

    /** The partition of {@code key}'s records. */
    public int partitionOf(String key) {
        return CoordinatorKeys.partitionFor(key, partitionCount);
    }

    /** The partition's state, or null if the coordinator does not hold it (always null in single-node mode). */
    public State state(int partition) {
        Held entry = held.get(partition);
        return entry == null ? null : entry.state();
    }

    /** The coordinator epoch the partition was loaded at, or -1 if the coordinator does not hold it. */
    public int coordinatorEpoch(int partition) {
        Held entry = held.get(partition);
        return entry == null ? -1 : entry.coordinatorEpoch();
    }

    /**
     * Cluster mode: the partition's records start replaying, as loaded at {@code coordinatorEpoch}.
     * {@code partitionCount} is the topic's real count (it differs from the configured one if the
     * topic existed before the setting changed); it is taken while no partition is held, since the
     * topic never grows and a held partition was loaded with the same count.
     */
    public void beginLoading(int partition, int partitionCount, int coordinatorEpoch) {
        if (!ownsAll && held.isEmpty()) {
            setPartitionCount(partitionCount);
        }
        checkClusterPartition(partition);
        held.put(partition, new Held(State.LOADING, coordinatorEpoch));
    }

    /** Cluster mode: the loading partition's keys are served from now on, at the epoch it was loaded at. */
    public void completeLoading(int partition) {
        checkClusterPartition(partition);
        Held entry = held.get(partition);
        if (entry == null || entry.state() != State.LOADING) {
            throw new IllegalStateException("Partition " + partition + " is not loading");
        }
        held.put(partition, new Held(State.OWNED, entry.coordinatorEpoch()));
    }

    /** Cluster mode: the coordinator no longer holds the partition. */
    public void release(int partition) {
        checkClusterPartition(partition);
        held.remove(partition);
    }

    private void checkClusterPartition(int partition) {
        if (ownsAll) {
            throw new IllegalStateException("A single-node coordinator owns every partition; partition " + partition
                    + " cannot be loaded or unloaded");
        }
        if (partition < 0 || partition >= partitionCount) {
            throw new IllegalArgumentException("Partition " + partition + " is not one of the " + partitionCount
                    + " partitions of the topic");
        }
    }

    /**
     * NONE if the coordinator serves {@code key}, else the error Kafka answers for it:
     * COORDINATOR_LOAD_IN_PROGRESS while its partition loads, NOT_COORDINATOR when another broker
     * owns it. A null key is let through so the API answers it as it does (INVALID_GROUP_ID, say).
     */
    public Errors check(String key) {
        if (ownsAll || key == null) {
            return Errors.NONE;
        }
        return checkPartition(partitionOf(key));
    }

    /** As {@link #check} for the keys of {@code partition}: NONE, COORDINATOR_LOAD_IN_PROGRESS or NOT_COORDINATOR. */
    public Errors checkPartition(int partition) {
        if (ownsAll) {
            return Errors.NONE;
        }
        State state = state(partition);
        if (state == State.OWNED) {
            return Errors.NONE;
        }
        return state == State.LOADING ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NOT_COORDINATOR;
    }

    /** Whether the coordinator serves {@code key}: its requests and its scheduled work. */
    public boolean owns(String key) {
        return check(key) == Errors.NONE;
    }

    /** Whether records of {@code key} may be replayed: its partition is loading (or every partition is owned). */
    public boolean acceptsReplay(String key) {
        return acceptsReplayOfPartition(partitionOf(key));
    }

    /** Whether records of {@code partition} may be replayed: it is loading (or every partition is owned). */
    public boolean acceptsReplayOfPartition(int partition) {
        return ownsAll || state(partition) == State.LOADING;
    }
}
