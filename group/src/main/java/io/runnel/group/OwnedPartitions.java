package io.runnel.group;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;

/**
 * Which {@code __consumer_offsets} partitions the coordinator serves, and so which groups. In
 * single-node mode it owns every partition; in cluster mode it owns none until one is loaded, as a
 * Kafka broker coordinates only the partitions it leads. Confined to the coordinator thread.
 */
final class OwnedPartitions {

    /** A partition the coordinator holds: its records replaying, or its groups served. */
    enum State { LOADING, OWNED }

    private final boolean ownsAll;
    private final Map<Integer, State> states = new HashMap<>();
    private int partitionCount;

    private OwnedPartitions(boolean ownsAll, int partitionCount) {
        this.ownsAll = ownsAll;
        setPartitionCount(partitionCount);
    }

    /** Single-node mode: every partition is owned, without loading. */
    static OwnedPartitions all(int partitionCount) {
        return new OwnedPartitions(true, partitionCount);
    }

    /** Cluster mode: no partition is owned until it has loaded. */
    static OwnedPartitions loadedOnly(int partitionCount) {
        return new OwnedPartitions(false, partitionCount);
    }

    boolean ownsAll() {
        return ownsAll;
    }

    /**
     * Sets the partition count groups are spread over.
     *
     * @throws IllegalStateException if a partition is loading or owned: its groups would move
     */
    void setPartitionCount(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("The offsets topic needs at least one partition, not " + count);
        }
        if (!states.isEmpty()) {
            throw new IllegalStateException("Cannot change the offsets topic partition count while partitions " + states.keySet()
                    + " are loading or owned");
        }
        partitionCount = count;
    }

    /** The partition of {@code groupId}'s records. */
    int partitionOf(String groupId) {
        return GroupCoordinator.partitionFor(groupId, partitionCount);
    }

    /** The partition's state, or null if the coordinator does not hold it (always null in single-node mode). */
    State state(int partition) {
        return states.get(partition);
    }

    /** Marks a partition of cluster mode; null forgets it. */
    void set(int partition, State state) {
        if (ownsAll) {
            throw new IllegalStateException("A single-node coordinator owns every partition; partition " + partition
                    + " cannot be loaded or unloaded");
        }
        if (partition < 0 || partition >= partitionCount) {
            throw new IllegalArgumentException("Partition " + partition + " is not one of the " + partitionCount
                    + " partitions of the offsets topic");
        }
        if (state == null) {
            states.remove(partition);
        } else {
            states.put(partition, state);
        }
    }

    /**
     * NONE if the coordinator serves {@code groupId}, else the error Kafka answers for it:
     * COORDINATOR_LOAD_IN_PROGRESS while its partition loads, NOT_COORDINATOR when another broker
     * owns it. A null id is let through so the API answers it as it does (INVALID_GROUP_ID).
     */
    Errors check(String groupId) {
        if (ownsAll || groupId == null) {
            return Errors.NONE;
        }
        State state = states.get(partitionOf(groupId));
        if (state == State.OWNED) {
            return Errors.NONE;
        }
        return state == State.LOADING ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NOT_COORDINATOR;
    }

    /** Whether the coordinator serves {@code groupId}: its requests and its scheduled work. */
    boolean owns(String groupId) {
        return check(groupId) == Errors.NONE;
    }

    /** Whether records of {@code groupId} may be replayed: its partition is loading (or every partition is owned). */
    boolean acceptsReplay(String groupId) {
        return ownsAll || states.get(partitionOf(groupId)) == State.LOADING;
    }
}
