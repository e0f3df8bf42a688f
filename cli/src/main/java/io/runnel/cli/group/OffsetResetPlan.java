package io.runnel.cli.group;

import io.runnel.cli.client.CommandFailure;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Computes the new offset of each partition for {@code group reset-offsets}, as Kafka's tool does:
 * every new offset is kept within the partition's log start and end offsets; {@code --to-datetime}
 * moves a partition without a record at or after the time to its end; {@code --shift-by} needs a
 * committed offset. Pure: the offsets are looked up before. Immutable.
 *
 * @param committed the group's committed offsets (partitions without one are absent)
 * @param starts    each partition's log start offset
 * @param ends      each partition's log end offset
 * @param atTime    with {@code --to-datetime}: each partition's first offset at or after the time, -1 if none
 */
record OffsetResetPlan(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> starts,
                       Map<TopicPartition, Long> ends, Map<TopicPartition, Long> atTime) {

    /**
     * The new offsets, ordered by topic and partition.
     *
     * @throws CommandFailure for {@code --shift-by} on a partition without a committed offset
     */
    Map<TopicPartition, Long> newOffsets(ResetTarget target, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> plan = new LinkedHashMap<>();
        partitions.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .forEach(partition -> plan.put(partition, clamp(partition, requested(target, partition))));
        return plan;
    }

    private long requested(ResetTarget target, TopicPartition partition) {
        if (target.toEarliest) {
            return starts.get(partition);
        }
        if (target.toLatest) {
            return ends.get(partition);
        }
        if (target.toOffset != null) {
            return target.toOffset;
        }
        if (target.toDatetime != null) {
            long offset = atTime.getOrDefault(partition, -1L);
            return offset < 0 ? ends.get(partition) : offset;
        }
        Long current = committed.get(partition);
        if (current == null) {
            throw new CommandFailure("Cannot shift the offset of " + partition + ": the group has no committed offset for it.");
        }
        return current + target.shiftBy;
    }

    private long clamp(TopicPartition partition, long offset) {
        return Math.max(starts.get(partition), Math.min(ends.get(partition), offset));
    }
}
