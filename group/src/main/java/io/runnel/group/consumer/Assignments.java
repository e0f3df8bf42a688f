package io.runnel.group.consumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/**
 * Helpers for assignments: topic id to partition numbers. Every map they return is unmodifiable,
 * sorted, and holds no topic with an empty partition set, so that equal assignments are equal maps.
 */
public final class Assignments {

    /** The empty assignment. */
    public static final Map<Uuid, Set<Integer>> EMPTY = Collections.unmodifiableMap(new TreeMap<>());

    private Assignments() {
    }

    /** An unmodifiable, sorted copy of {@code assignment} without empty topics. */
    public static Map<Uuid, Set<Integer>> copyOf(Map<Uuid, ? extends Collection<Integer>> assignment) {
        if (assignment == null || assignment.isEmpty()) {
            return EMPTY;
        }
        TreeMap<Uuid, Set<Integer>> copy = new TreeMap<>();
        assignment.forEach((topicId, partitions) -> {
            if (!partitions.isEmpty()) {
                copy.put(topicId, Collections.unmodifiableSet(new TreeSet<>(partitions)));
            }
        });
        return copy.isEmpty() ? EMPTY : Collections.unmodifiableMap(copy);
    }

    /** The partitions a member reports as owned in a heartbeat, as an assignment; null stays null. */
    public static Map<Uuid, Set<Integer>> fromOwned(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        if (owned == null) {
            return null;
        }
        TreeMap<Uuid, Set<Integer>> result = new TreeMap<>();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : owned) {
            result.computeIfAbsent(topic.topicId(), id -> new TreeSet<>()).addAll(topic.partitions());
        }
        return copyOf(result);
    }

    /** Whether {@code owned} names only partitions of {@code assignment}; a null list is no subset. */
    public static boolean isSubset(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned,
                                   Map<Uuid, Set<Integer>> assignment) {
        if (owned == null) {
            return false;
        }
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : owned) {
            Set<Integer> partitions = assignment.get(topic.topicId());
            if (partitions == null || !partitions.containsAll(topic.partitions())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code owned} still names any partition of {@code partitions}; null means "unknown, so yes". */
    public static boolean ownsAnyOf(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned,
                                    Map<Uuid, Set<Integer>> partitions) {
        if (owned == null) {
            return true;
        }
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : owned) {
            Set<Integer> candidates = partitions.get(topic.topicId());
            if (candidates != null) {
                for (Integer partition : topic.partitions()) {
                    if (candidates.contains(partition)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The number of partitions in {@code assignment}. */
    public static int size(Map<Uuid, Set<Integer>> assignment) {
        int size = 0;
        for (Set<Integer> partitions : assignment.values()) {
            size += partitions.size();
        }
        return size;
    }

    /** The assignment as a ConsumerGroupHeartbeat response lists it, sorted. */
    public static List<ConsumerGroupHeartbeatResponseData.TopicPartitions> toHeartbeat(Map<Uuid, Set<Integer>> assignment) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>();
        copyOf(assignment).forEach((topicId, partitions) -> topics.add(
                new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                        .setTopicId(topicId)
                        .setPartitions(new ArrayList<>(partitions))));
        return topics;
    }
}
