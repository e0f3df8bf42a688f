package io.runnel.group.consumer;

import io.runnel.group.TopicCatalog;
import io.runnel.group.consumer.assignor.AssignmentMember;
import io.runnel.group.consumer.assignor.PartitionAssignor;
import io.runnel.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;

/**
 * Computes a new target assignment for a group epoch (Kafka's {@code TargetAssignmentBuilder}): runs
 * the assignor over the members and emits a TargetAssignmentMember record for every member whose
 * target changed, then the TargetAssignmentMetadata record. Stateless per call.
 */
final class TargetAssignmentBuilder {

    private TargetAssignmentBuilder() {
    }

    /**
     * @param members        the members as they will be once the heartbeat's records are applied
     * @param currentTargets each member's present target, or null if it has none
     * @param records        receives the records
     * @return the new target of every member
     */
    static Map<String, Map<Uuid, Set<Integer>>> build(String groupId, int groupEpoch,
                                                      Collection<ConsumerGroupMember> members,
                                                      Function<String, Map<Uuid, Set<Integer>>> currentTargets,
                                                      PartitionAssignor assignor, TopicSubscriptions subscriptions,
                                                      List<GroupRecord> records) {
        Map<Uuid, Integer> partitionCounts = new TreeMap<>();
        Map<String, Map<Uuid, TopicCatalog.TopicInfo>> byRegex = new HashMap<>();
        List<AssignmentMember> specs = new ArrayList<>();
        for (ConsumerGroupMember member : members) {
            Map<Uuid, TopicCatalog.TopicInfo> subscribed = subscriptions.subscribedTopics(member, byRegex);
            subscribed.forEach((topicId, topic) -> partitionCounts.put(topicId, topic.partitions()));
            Map<Uuid, Set<Integer>> current = currentTargets.apply(member.memberId());
            specs.add(new AssignmentMember(member.memberId(), member.instanceId(), member.metadata().rackId(),
                    subscribed.keySet(), current == null ? Assignments.EMPTY : current));
        }
        Map<String, Map<Uuid, Set<Integer>>> computed = assignor.assign(specs, partitionCounts);
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        for (ConsumerGroupMember member : members) {
            Map<Uuid, Set<Integer>> target = Assignments.copyOf(computed.get(member.memberId()));
            result.put(member.memberId(), target);
            if (!target.equals(currentTargets.apply(member.memberId()))) {
                records.add(ConsumerGroupRecords.targetMember(groupId, member.memberId(), target));
            }
        }
        records.add(ConsumerGroupRecords.targetEpoch(groupId, groupEpoch));
        return result;
    }
}
