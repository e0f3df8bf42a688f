package io.runnel.group.offset;

import io.runnel.group.record.GroupRecordKey;
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

    private final Map<String, Map<TopicPartition, GroupRecordValue.Offset>> offsets = new HashMap<>();

    /** Applies an offset record: a value commits, a tombstone ({@code value} null) deletes. */
    public void replay(GroupRecordKey.Offset key, GroupRecordValue.Offset value) {
        TopicPartition partition = new TopicPartition(key.topic(), key.partition());
        if (value != null) {
            offsets.computeIfAbsent(key.groupId(), id -> new HashMap<>()).put(partition, value);
            return;
        }
        Map<TopicPartition, GroupRecordValue.Offset> group = offsets.get(key.groupId());
        if (group != null) {
            group.remove(partition);
            if (group.isEmpty()) {
                offsets.remove(key.groupId());
            }
        }
    }

    /** Forgets every committed offset of the group. */
    public void remove(String groupId) {
        offsets.remove(groupId);
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
