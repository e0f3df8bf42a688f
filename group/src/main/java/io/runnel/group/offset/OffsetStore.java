package io.runnel.group.offset;

import io.runnel.group.record.GroupRecordValue;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets of every group, as the replay of the offset records so far. Confined to
 * the coordinator thread.
 */
public final class OffsetStore {

    /** What {@link #replayOrder} answers for an offset not committed. */
    static final long NOT_COMMITTED = -1;

    private final Map<String, Map<TopicPartition, GroupRecordValue.Offset>> offsets = new HashMap<>();
    /** When each committed offset was replayed, for a transaction's commit to tell whether it is newer. */
    private final Map<String, Map<TopicPartition, Long>> replayOrders = new HashMap<>();

    /**
     * Applies an offset of the group: a value commits, replayed at {@code replayOrder} (its place in the
     * log order; see {@link #replayOrder}); null deletes.
     */
    void replay(String groupId, TopicPartition partition, GroupRecordValue.Offset value, long replayOrder) {
        if (value != null) {
            offsets.computeIfAbsent(groupId, id -> new HashMap<>()).put(partition, value);
            replayOrders.computeIfAbsent(groupId, id -> new HashMap<>()).put(partition, replayOrder);
            return;
        }
        Map<TopicPartition, GroupRecordValue.Offset> group = offsets.get(groupId);
        if (group != null) {
            group.remove(partition);
            replayOrders.get(groupId).remove(partition);
            if (group.isEmpty()) {
                remove(groupId);
            }
        }
    }

    /** When the group's committed offset of {@code partition} was replayed, or {@link #NOT_COMMITTED}. */
    long replayOrder(String groupId, TopicPartition partition) {
        return replayOrders.getOrDefault(groupId, Map.of()).getOrDefault(partition, NOT_COMMITTED);
    }

    /** Forgets every committed offset of the group. */
    public void remove(String groupId) {
        offsets.remove(groupId);
        replayOrders.remove(groupId);
    }

    /** The group's committed offset for {@code partition}, or null. */
    public GroupRecordValue.Offset get(String groupId, TopicPartition partition) {
        return offsets.getOrDefault(groupId, Map.of()).get(partition);
    }

    /** All of the group's committed offsets; a read-only view. */
    public Map<TopicPartition, GroupRecordValue.Offset> all(String groupId) {
        return Collections.unmodifiableMap(offsets.getOrDefault(groupId, Map.of()));
    }

    /** Whether the group has any committed offset. */
    public boolean hasOffsets(String groupId) {
        return offsets.containsKey(groupId);
    }

    /** The ids of groups with committed offsets; a read-only view. */
    public Set<String> groupIds() {
        return Collections.unmodifiableSet(offsets.keySet());
    }
}
