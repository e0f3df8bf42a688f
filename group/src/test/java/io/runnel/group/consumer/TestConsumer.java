package io.runnel.group.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A consumer as the protocol sees it: joins, heartbeats with the partitions it owns, and (when
 * cooperative) gives up revoked partitions at once by adopting every assignment it receives.
 */
final class TestConsumer {

    private final ConsumerGroupFixture fixture;
    final String memberId;
    final String instanceId;
    final List<String> topics;
    String serverAssignor;
    int epoch;
    Map<Uuid, Set<Integer>> owned = Assignments.EMPTY;
    ConsumerGroupHeartbeatResponseData last;

    TestConsumer(ConsumerGroupFixture fixture, String memberId, String instanceId, List<String> topics) {
        this.fixture = fixture;
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.topics = topics;
    }

    ConsumerGroupHeartbeatResponseData join() {
        return send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP)
                .setMemberId(memberId)
                .setInstanceId(instanceId)
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(ConsumerGroupFixture.REBALANCE_TIMEOUT_MS)
                .setSubscribedTopicNames(topics)
                .setServerAssignor(serverAssignor)
                .setTopicPartitions(new ArrayList<>()));
    }

    /** A heartbeat reporting the partitions the consumer owns. */
    ConsumerGroupHeartbeatResponseData heartbeat() {
        return heartbeatOwning(owned);
    }

    /** A heartbeat reporting {@code reported} as owned (a consumer still revoking reports old ones). */
    ConsumerGroupHeartbeatResponseData heartbeatOwning(Map<Uuid, Set<Integer>> reported) {
        return send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP)
                .setMemberId(memberId)
                .setInstanceId(instanceId)
                .setMemberEpoch(epoch)
                .setTopicPartitions(toRequest(reported)));
    }

    ConsumerGroupHeartbeatResponseData leave(int leaveEpoch) {
        return send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP)
                .setMemberId(memberId)
                .setInstanceId(instanceId)
                .setMemberEpoch(leaveEpoch));
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        last = fixture.send(request);
        if (last.errorCode() == Errors.NONE.code()) {
            epoch = last.memberEpoch();
            if (last.assignment() != null) {
                owned = fromResponse(last.assignment().topicPartitions());
            }
        }
        return last;
    }

    int ownedCount() {
        return Assignments.size(owned);
    }

    static List<ConsumerGroupHeartbeatRequestData.TopicPartitions> toRequest(Map<Uuid, Set<Integer>> assignment) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> result = new ArrayList<>();
        assignment.forEach((topicId, partitions) -> result.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                .setTopicId(topicId).setPartitions(new ArrayList<>(partitions))));
        return result;
    }

    static Map<Uuid, Set<Integer>> fromResponse(List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics) {
        Map<Uuid, Set<Integer>> result = new TreeMap<>();
        for (ConsumerGroupHeartbeatResponseData.TopicPartitions topic : topics) {
            result.computeIfAbsent(topic.topicId(), id -> new TreeSet<>()).addAll(topic.partitions());
        }
        return Assignments.copyOf(result);
    }
}
