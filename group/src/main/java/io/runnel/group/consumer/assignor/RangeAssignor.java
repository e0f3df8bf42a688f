package io.runnel.group.consumer.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * The "range" assignor: for each topic, the members subscribed to it, ordered by member id, take
 * contiguous ranges of its partitions; the first {@code partitions % members} take one extra. Members
 * subscribed to the same co-partitioned topics thus get the same partition numbers. Unlike Kafka's
 * server-side RangeAssignor, it does not try to keep previous ranges when membership changes.
 * Stateless; called on the coordinator thread.
 */
public final class RangeAssignor implements PartitionAssignor {

    /** The assignor's name. */
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<Uuid, Set<Integer>>> assign(List<AssignmentMember> members, Map<Uuid, Integer> partitionCounts) {
        List<AssignmentMember> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(AssignmentMember::memberId));
        Map<String, NavigableSet<TopicPartitionRef>> owned = new HashMap<>();
        sorted.forEach(member -> owned.put(member.memberId(), new TreeSet<>()));
        new TreeMap<>(partitionCounts).forEach((topicId, count) -> {
            List<AssignmentMember> subscribed = new ArrayList<>();
            for (AssignmentMember member : sorted) {
                if (member.subscribedTopicIds().contains(topicId)) {
                    subscribed.add(member);
                }
            }
            if (subscribed.isEmpty()) {
                return;
            }
            int quota = count / subscribed.size();
            int extra = count % subscribed.size();
            int next = 0;
            for (int i = 0; i < subscribed.size(); i++) {
                int size = quota + (i < extra ? 1 : 0);
                for (int partition = next; partition < next + size; partition++) {
                    owned.get(subscribed.get(i).memberId()).add(new TopicPartitionRef(topicId, partition));
                }
                next += size;
            }
        });
        return UniformAssignor.toResult(owned);
    }
}
