package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupRegistry;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Heartbeat, as Kafka's {@code classicGroupHeartbeat}: a valid heartbeat restarts the member's
 * session timeout; during a join phase it answers REBALANCE_IN_PROGRESS so the member rejoins.
 * Confined to the coordinator thread.
 */
final class ClassicHeartbeatHandler {

    private final GroupRegistry groups;
    private final ClassicRebalancer rebalancer;

    ClassicHeartbeatHandler(GroupRegistry groups, ClassicRebalancer rebalancer) {
        this.groups = groups;
        this.rebalancer = rebalancer;
    }

    HeartbeatResponseData heartbeat(HeartbeatRequestData request) {
        return new HeartbeatResponseData().setErrorCode(handle(request).code());
    }

    private Errors handle(HeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        Group found = groups.get(request.groupId());
        if (!(found instanceof ClassicGroup group)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.isIn(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        Errors invalid = group.validateMember(request.memberId(), request.groupInstanceId());
        if (invalid != Errors.NONE) {
            return invalid;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        return switch (group.state()) {
            case PREPARING_REBALANCE -> {
                rebalancer.scheduleHeartbeat(group, group.member(request.memberId()));
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            case COMPLETING_REBALANCE, STABLE -> {
                // Members may heartbeat between their JoinGroup and SyncGroup responses: a normal heartbeat.
                rebalancer.scheduleHeartbeat(group, group.member(request.memberId()));
                yield Errors.NONE;
            }
            case EMPTY, DEAD -> Errors.UNKNOWN_MEMBER_ID;
        };
    }
}
