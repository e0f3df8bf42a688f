package io.runnel.group.consumer.assignor;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * Computes a consumer group's target assignment. Implementations are stateless, deterministic for
 * equal input, and called on the coordinator thread.
 */
public interface PartitionAssignor {

    /** The name members ask for in ConsumerGroupHeartbeat's ServerAssignor. */
    String name();

    /**
     * Assigns every partition of every topic in {@code partitionCounts} to exactly one member
     * subscribed to the topic.
     *
     * @param members         the members, in no particular order
     * @param partitionCounts each subscribed, existing topic and its partition count
     * @return an entry for every member (an empty map when it gets nothing)
     */
    Map<String, Map<Uuid, Set<Integer>>> assign(List<AssignmentMember> members, Map<Uuid, Integer> partitionCounts);
}
