package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SyncGroup, as Kafka's {@code classicGroupSync}: members park until the leader sends the
 * assignment; the assignment is then written as the group's record and, once written, the group
 * is Stable and every parked member gets its part. If the write fails, every parked member gets the
 * mapped error and the group rebalances. Confined to the coordinator thread.
 */
final class ClassicSyncHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicSyncHandler.class);

    private final GroupRegistry groups;
    private final ClassicRebalancer rebalancer;

    ClassicSyncHandler(GroupRegistry groups, ClassicRebalancer rebalancer) {
        this.groups = groups;
        this.rebalancer = rebalancer;
    }

    void sync(SyncGroupRequestData request, CompletableFuture<SyncGroupResponseData> response) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            response.complete(error(Errors.INVALID_GROUP_ID));
            return;
        }
        Group found = groups.get(request.groupId());
        if (!(found instanceof ClassicGroup group) || group.isEmpty()) {
            // Unknown, Empty, or of the other protocol (classic members in consumer groups are not supported).
            response.complete(error(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        Errors invalid = validate(group, request);
        if (invalid != Errors.NONE) {
            response.complete(error(invalid));
            return;
        }
        switch (group.state()) {
            case PREPARING_REBALANCE -> response.complete(error(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> park(group, request, response);
            case STABLE -> {
                rebalancer.removePendingSyncMember(group, request.memberId());
                response.complete(ClassicResponses.syncSuccess(group, group.member(request.memberId())));
            }
            default -> throw new IllegalStateException("Unexpected sync for group " + group);
        }
    }

    private Errors validate(ClassicGroup group, SyncGroupRequestData request) {
        if (group.isIn(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        Errors error = group.validateMember(request.memberId(), request.groupInstanceId());
        if (error != Errors.NONE) {
            return error;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (inconsistent(request.protocolType(), group.protocolType())
                || inconsistent(request.protocolName(), group.protocolName())) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        return Errors.NONE;
    }

    /** Kafka's isProtocolInconsistent: only a value sent (v5+) and known can disagree. */
    private static boolean inconsistent(String requested, String actual) {
        return requested != null && actual != null && !actual.equals(requested);
    }

    private void park(ClassicGroup group, SyncGroupRequestData request, CompletableFuture<SyncGroupResponseData> response) {
        group.member(request.memberId()).setAwaitingSync(response);
        rebalancer.removePendingSyncMember(group, request.memberId());
        if (group.isLeader(request.memberId())) {
            completeWithLeaderAssignment(group, request.assignments());
        }
    }

    private void completeWithLeaderAssignment(ClassicGroup group, List<SyncGroupRequestAssignment> leaderAssignment) {
        LOG.info("Assignment received from the leader of group {} for generation {}", group.groupId(), group.generationId());
        Map<String, byte[]> assignments = new HashMap<>();
        leaderAssignment.forEach(assignment -> assignments.put(assignment.memberId(), assignment.assignment()));
        group.members().forEach(member ->
                assignments.putIfAbsent(member.memberId(), ClassicGroupMember.EMPTY_ASSIGNMENT));
        Errors error = rebalancer.write(group.groupId(), List.of(ClassicGroupRecords.record(group, assignments)));
        if (error == Errors.NONE) {
            group.transitionTo(ClassicGroupState.STABLE, rebalancer.nowMs());
            rebalancer.propagateAssignment(group, assignments);
        } else {
            rebalancer.propagateError(group, error);
            rebalancer.maybePrepareRebalanceOrCompleteJoin(group, "failed to store the assignment: " + error);
        }
    }

    private static SyncGroupResponseData error(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code());
    }
}
