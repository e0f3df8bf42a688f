package io.runnel.group.offset;

import io.runnel.group.record.GroupRecordValue;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets TxnOffsetCommit wrote in still open transactions, per producer id, then group, then
 * partition, as Kafka's {@code OffsetMetadataManager} keeps them: invisible to OffsetFetch until
 * the producer's COMMIT marker moves them into the committed offsets, dropped by its ABORT marker.
 * A group keeps its open transactions (the producer ids with a pending offset in it) until their
 * markers come, even when tombstones removed every pending offset meanwhile. Confined to the
 * coordinator thread.
 */
final class PendingTransactionalOffsets {

    /**
     * One pending offset and its place in the replay of {@code __consumer_offsets}: at the commit it
     * loses to a committed offset replayed after it (Kafka compares record offsets; the replay order is
     * the log order, so the outcome is the same, also after compaction).
     */
    record Pending(GroupRecordValue.Offset value, long replayOrder) { }

    private final Map<Long, Map<String, Map<TopicPartition, Pending>>> byProducer = new HashMap<>();
    private final Map<String, Set<Long>> openTransactionsByGroup = new HashMap<>();

    /** The producer's transaction wrote {@code value} for the group's partition. */
    void add(long producerId, String groupId, TopicPartition partition, Pending pending) {
        byProducer.computeIfAbsent(producerId, id -> new HashMap<>()).computeIfAbsent(groupId, id -> new HashMap<>()).put(partition, pending);
        openTransactionsByGroup.computeIfAbsent(groupId, id -> new HashSet<>()).add(producerId);
    }

    /** Whether any open transaction of the group has a pending offset for {@code partition}. */
    boolean hasPending(String groupId, TopicPartition partition) {
        for (long producerId : openTransactionsByGroup.getOrDefault(groupId, Set.of())) {
            if (byProducer.getOrDefault(producerId, Map.of()).getOrDefault(groupId, Map.of()).containsKey(partition)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some transaction that wrote an offset of the group is still open. */
    boolean hasOpenTransactions(String groupId) {
        return openTransactionsByGroup.containsKey(groupId);
    }

    /** The partitions of the group with a pending offset in any open transaction. */
    Set<TopicPartition> pendingPartitions(String groupId) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (long producerId : openTransactionsByGroup.getOrDefault(groupId, Set.of())) {
            partitions.addAll(byProducer.getOrDefault(producerId, Map.of()).getOrDefault(groupId, Map.of()).keySet());
        }
        return partitions;
    }

    /** A tombstone for the group's partition: no open transaction keeps an offset for it any more. */
    void remove(String groupId, TopicPartition partition) {
        for (long producerId : openTransactionsByGroup.getOrDefault(groupId, Set.of())) {
            Map<TopicPartition, Pending> offsets = byProducer.getOrDefault(producerId, Map.of()).get(groupId);
            if (offsets != null) {
                offsets.remove(partition);
            }
        }
    }

    /**
     * The producer's transaction ended (its marker was written or replayed) for the groups
     * {@code groupIds} accepts (those of the marker's {@code __consumer_offsets} partition): their
     * pending offsets are removed and returned, by group, for a commit to apply.
     */
    Map<String, Map<TopicPartition, Pending>> end(long producerId, Predicate<String> groupIds) {
        Map<String, Map<TopicPartition, Pending>> ended = new HashMap<>();
        Map<String, Map<TopicPartition, Pending>> groups = byProducer.get(producerId);
        if (groups == null) {
            return ended;
        }
        for (Iterator<Map.Entry<String, Map<TopicPartition, Pending>>> it = groups.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Map<TopicPartition, Pending>> group = it.next();
            if (groupIds.test(group.getKey())) {
                ended.put(group.getKey(), group.getValue());
                it.remove();
                closeTransaction(group.getKey(), producerId);
            }
        }
        if (groups.isEmpty()) {
            byProducer.remove(producerId);
        }
        return ended;
    }

    /** Forgets everything pending in the groups {@code groupIds} accepts (their partition was unloaded). */
    void removeGroups(Predicate<String> groupIds) {
        for (String groupId : openTransactionsByGroup.keySet().stream().filter(groupIds).toList()) {
            for (long producerId : openTransactionsByGroup.get(groupId)) {
                Map<String, Map<TopicPartition, Pending>> groups = byProducer.get(producerId);
                groups.remove(groupId);
                if (groups.isEmpty()) {
                    byProducer.remove(producerId);
                }
            }
            openTransactionsByGroup.remove(groupId);
        }
    }

    private void closeTransaction(String groupId, long producerId) {
        Set<Long> open = openTransactionsByGroup.get(groupId);
        if (open != null && open.remove(producerId) && open.isEmpty()) {
            openTransactionsByGroup.remove(groupId);
        }
    }
}
