package io.runnel.group.consumer.assignor;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * One member as an assignor sees it.
 *
 * @param instanceId         the static member's instance id, or null
 * @param rackId             the member's rack, or null
 * @param subscribedTopicIds the existing topics the member subscribes to
 * @param currentTarget      the member's previous target assignment, for stickiness
 */
public record AssignmentMember(String memberId, String instanceId, String rackId,
                               Set<Uuid> subscribedTopicIds, Map<Uuid, Set<Integer>> currentTarget) {

    public AssignmentMember {
        subscribedTopicIds = Set.copyOf(subscribedTopicIds);
        currentTarget = Map.copyOf(currentTarget);
    }
}
