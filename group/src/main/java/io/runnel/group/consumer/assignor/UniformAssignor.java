package io.runnel.group.consumer.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The "uniform" assignor: spreads partitions so that member partition counts differ by at most one
 * wherever subscriptions allow, and keeps partitions on their previous owners as far as balance
 * permits (Kafka's {@code UniformAssignor} promises the same two properties).
 *
 * <p>Three steps: every member keeps the still valid partitions of its previous target; each
 * unowned partition goes to the least loaded member subscribed to its topic; then, while some
 * member holds at least two more partitions than a member that could take one of them, one such
 * partition moves. Each move lowers the sum of squared counts, so the loop ends; it moves no
 * partition that balance does not require. Cost is O(P * (M log M + P/M)) for P partitions and M
 * members. Stateless; called on the coordinator thread.
 */
public final class UniformAssignor implements PartitionAssignor {

    /** The assignor's name. */
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<Uuid, Set<Integer>>> assign(List<AssignmentMember> members, Map<Uuid, Integer> partitionCounts) {
        List<AssignmentMember> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(AssignmentMember::memberId));
        Map<String, NavigableSet<TopicPartitionRef>> owned = new HashMap<>();
        for (AssignmentMember member : sorted) {
            owned.put(member.memberId(), new TreeSet<>());
        }
        Set<TopicPartitionRef> taken = new HashSet<>();
        keepPreviousTargets(sorted, partitionCounts, owned, taken);
        assignUnowned(sorted, partitionCounts, owned, taken);
        Map<String, AssignmentMember> byId = new HashMap<>();
        sorted.forEach(member -> byId.put(member.memberId(), member));
        while (moveOnePartition(sorted, byId, owned)) {
            // each move lowers the sum of squared counts
        }
        return toResult(owned);
    }

    private static void keepPreviousTargets(List<AssignmentMember> members, Map<Uuid, Integer> partitionCounts,
                                            Map<String, NavigableSet<TopicPartitionRef>> owned,
                                            Set<TopicPartitionRef> taken) {
        for (AssignmentMember member : members) {
            new TreeMap<>(member.currentTarget()).forEach((topicId, partitions) -> {
                Integer count = partitionCounts.get(topicId);
                if (count == null || !member.subscribedTopicIds().contains(topicId)) {
                    return;
                }
                for (int partition : new TreeSet<>(partitions)) {
                    TopicPartitionRef ref = new TopicPartitionRef(topicId, partition);
                    if (partition < count && taken.add(ref)) {
                        owned.get(member.memberId()).add(ref);
                    }
                }
            });
        }
    }

    private static void assignUnowned(List<AssignmentMember> members, Map<Uuid, Integer> partitionCounts,
                                      Map<String, NavigableSet<TopicPartitionRef>> owned,
                                      Set<TopicPartitionRef> taken) {
        new TreeMap<>(partitionCounts).forEach((topicId, count) -> {
            List<AssignmentMember> eligible = new ArrayList<>();
            for (AssignmentMember member : members) {
                if (member.subscribedTopicIds().contains(topicId)) {
                    eligible.add(member);
                }
            }
            if (eligible.isEmpty()) {
                return;
            }
            for (int partition = 0; partition < count; partition++) {
                TopicPartitionRef ref = new TopicPartitionRef(topicId, partition);
                if (taken.add(ref)) {
                    AssignmentMember least = eligible.get(0);
                    for (AssignmentMember candidate : eligible) {
                        if (owned.get(candidate.memberId()).size() < owned.get(least.memberId()).size()) {
                            least = candidate;
                        }
                    }
                    owned.get(least.memberId()).add(ref);
                }
            }
        });
    }

    /** Moves one partition from a member to one holding at least two fewer; false when none can move. */
    private static boolean moveOnePartition(List<AssignmentMember> members, Map<String, AssignmentMember> byId,
                                            Map<String, NavigableSet<TopicPartitionRef>> owned) {
        Comparator<AssignmentMember> byCount = Comparator.comparingInt(member -> owned.get(member.memberId()).size());
        List<AssignmentMember> donors = new ArrayList<>(members);
        donors.sort(byCount.reversed().thenComparing(AssignmentMember::memberId));
        List<AssignmentMember> receivers = new ArrayList<>(members);
        receivers.sort(byCount.thenComparing(AssignmentMember::memberId));
        for (AssignmentMember donor : donors) {
            NavigableSet<TopicPartitionRef> donorPartitions = owned.get(donor.memberId());
            for (AssignmentMember receiver : receivers) {
                NavigableSet<TopicPartitionRef> receiverPartitions = owned.get(receiver.memberId());
                if (receiverPartitions.size() >= donorPartitions.size() - 1) {
                    break;
                }
                for (TopicPartitionRef ref : donorPartitions.descendingSet()) {
                    if (byId.get(receiver.memberId()).subscribedTopicIds().contains(ref.topicId())) {
                        donorPartitions.remove(ref);
                        receiverPartitions.add(ref);
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static Map<String, Map<Uuid, Set<Integer>>> toResult(Map<String, NavigableSet<TopicPartitionRef>> owned) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        owned.forEach((memberId, refs) -> {
            Map<Uuid, Set<Integer>> assignment = new TreeMap<>();
            for (TopicPartitionRef ref : refs) {
                assignment.computeIfAbsent(ref.topicId(), id -> new TreeSet<>()).add(ref.partition());
            }
            result.put(memberId, assignment);
        });
        return result;
    }
}
