package io.runnel.transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transactional ids of the {@code __transaction_state} partitions this coordinator leads, with
 * each partition's coordinator epoch and whether it is still loading. Not thread-safe: owned by the
 * coordinator's thread.
 */
final class TransactionCache {

    /** A partition this coordinator leads: loading until its log is replayed, owned after. */
    private record Ownership(int coordinatorEpoch, boolean loading) {
    }

    private final int partitionCount;
    private final Map<Integer, Ownership> ownership = new HashMap<>();
    /** Per partition, by transactional id; sorted so that timers visit ids in a repeatable order. */
    private final Map<Integer, Map<String, TransactionMetadata>> byPartition = new HashMap<>();

    TransactionCache(int partitionCount) {
        this.partitionCount = partitionCount;
    }

    /** Kafka's placement: {@code Utils.abs(id.hashCode()) % partitionCount}, where abs(MIN_VALUE) is 0. */
    int partitionFor(String transactionalId) {
        int hash = transactionalId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitionCount;
    }

    void beginLoading(int partition, int coordinatorEpoch) {
        ownership.put(partition, new Ownership(coordinatorEpoch, true));
        byPartition.put(partition, new TreeMap<>());
    }

    void completeLoading(int partition) {
        Ownership current = ownership.get(partition);
        if (current == null || !current.loading()) {
            throw new IllegalStateException("partition " + partition + " is not loading");
        }
        ownership.put(partition, new Ownership(current.coordinatorEpoch(), false));
    }

    void unload(int partition) {
        ownership.remove(partition);
        byPartition.remove(partition);
    }

    boolean isLoading(int partition) {
        Ownership current = ownership.get(partition);
        return current != null && current.loading();
    }

    boolean anyLoading() {
        return ownership.values().stream().anyMatch(Ownership::loading);
    }

    /** The ids of a partition, loading or not, for replay. */
    Map<String, TransactionMetadata> partitionIds(int partition) {
        Map<String, TransactionMetadata> ids = byPartition.get(partition);
        if (ids == null) {
            throw new IllegalStateException("partition " + partition + " is not led here");
        }
        return ids;
    }

    /**
     * The coordinator epoch of the id's partition, checking that it is led and loaded here.
     *
     * @throws TxnError COORDINATOR_LOAD_IN_PROGRESS while it loads, NOT_COORDINATOR if another broker leads it
     */
    int coordinatorEpochOf(String transactionalId) {
        Ownership current = ownership.get(partitionFor(transactionalId));
        if (current == null) {
            throw new TxnError(Errors.NOT_COORDINATOR);
        }
        if (current.loading()) {
            throw new TxnError(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        }
        return current.coordinatorEpoch();
    }

    /** The id's metadata, or null if unknown; the partition must be owned ({@link #coordinatorEpochOf}). */
    TransactionMetadata get(String transactionalId) {
        return byPartition.get(partitionFor(transactionalId)).get(transactionalId);
    }

    /**
     * The id's metadata if its partition is still owned, loaded, at this coordinator epoch: a write's
     * continuation applies its change only then.
     */
    TransactionMetadata getIfOwnedAt(String transactionalId, int coordinatorEpoch) {
        int partition = partitionFor(transactionalId);
        Ownership current = ownership.get(partition);
        if (current == null || current.loading() || current.coordinatorEpoch() != coordinatorEpoch) {
            return null;
        }
        return byPartition.get(partition).get(transactionalId);
    }

    void put(TransactionMetadata metadata) {
        byPartition.get(partitionFor(metadata.transactionalId())).put(metadata.transactionalId(), metadata);
    }

    void remove(String transactionalId) {
        byPartition.get(partitionFor(transactionalId)).remove(transactionalId);
    }

    /** The owned (loaded) partitions with their coordinator epochs, in partition order. */
    Map<Integer, Integer> ownedPartitions() {
        Map<Integer, Integer> owned = new TreeMap<>();
        ownership.forEach((partition, o) -> {
            if (!o.loading()) {
                owned.put(partition, o.coordinatorEpoch());
            }
        });
        return owned;
    }

    /** Every id of the owned partitions, in partition then id order. */
    List<TransactionMetadata> ownedIds() {
        List<TransactionMetadata> all = new ArrayList<>();
        ownedPartitions().keySet().forEach(partition -> all.addAll(byPartition.get(partition).values()));
        return all;
    }
}
