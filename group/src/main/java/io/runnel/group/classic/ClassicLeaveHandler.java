package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LeaveGroup, as Kafka's {@code classicGroupLeave}: removes each named member (by member id, or a
 * static member by instance id alone), answering per member, then rebalances the group once; when
 * the last member leaves, the group becomes Empty and that is written. Confined to the coordinator thread.
 */
final class ClassicLeaveHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicLeaveHandler.class);

    private final GroupRegistry groups;
    private final ClassicRebalancer rebalancer;

    ClassicLeaveHandler(GroupRegistry groups, ClassicRebalancer rebalancer) {
        this.groups = groups;
        this.rebalancer = rebalancer;
    }

    /**
     * Handles a LeaveGroup; {@code apiVersion} below 3 reads the single {@code memberId} field.
     * The response always lists the members; kafka-clients' {@code LeaveGroupResponse(data, version)}
     * folds the single member's error into the top-level error for v0-2.
     */
    LeaveGroupResponseData leave(LeaveGroupRequestData request, short apiVersion) {
        List<MemberIdentity> leaving = apiVersion < 3
                ? List.of(new MemberIdentity().setMemberId(request.memberId()))
                : request.members();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        Group found = groups.get(request.groupId());
        if (!(found instanceof ClassicGroup group)) {
            return new LeaveGroupResponseData().setMembers(allFailed(leaving));
        }
        if (group.isIn(ClassicGroupState.DEAD)) {
            return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        List<MemberResponse> responses = new ArrayList<>(leaving.size());
        boolean anyLeft = false;
        for (MemberIdentity identity : leaving) {
            Errors error = leaveOne(group, identity);
            anyLeft |= error == Errors.NONE;
            responses.add(response(identity, error));
        }
        if (anyLeft) {
            rebalanceAfterLeave(group);
        }
        return new LeaveGroupResponseData().setMembers(responses);
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity identity) {
        String memberId = identity.memberId();
        String instanceId = identity.groupInstanceId();
        if (memberId == null || memberId.isEmpty()) {
            // Administrative removal of a static member by its instance id alone.
            String staticMemberId = instanceId == null ? null : group.staticMemberId(instanceId);
            if (staticMemberId == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            removeMember(group, staticMemberId, identity);
            return Errors.NONE;
        }
        if (group.isPendingMember(memberId)) {
            group.remove(memberId);
            rebalancer.cancelHeartbeat(group.groupId(), memberId);
            LOG.info("Pending member {} left group {}", memberId, group.groupId());
            return Errors.NONE;
        }
        Errors error = group.validateMember(memberId, instanceId);
        if (error == Errors.NONE) {
            removeMember(group, memberId, identity);
        }
        return error;
    }

    private void removeMember(ClassicGroup group, String memberId, MemberIdentity identity) {
        LOG.info("Member {} left group {} (reason: {})", memberId, group.groupId(),
                identity.reason() == null ? "not provided" : identity.reason());
        rebalancer.removeMember(group, group.member(memberId));
    }

    private void rebalanceAfterLeave(ClassicGroup group) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> rebalancer.maybePrepareRebalanceOrCompleteJoin(group, "members left");
            case PREPARING_REBALANCE -> rebalancer.maybeCompleteJoinPhase(group);
            default -> { }
        }
    }

    private static List<MemberResponse> allFailed(List<MemberIdentity> leaving) {
        return leaving.stream().map(identity -> response(identity, Errors.UNKNOWN_MEMBER_ID)).toList();
    }

    private static MemberResponse response(MemberIdentity identity, Errors error) {
        return new MemberResponse()
                .setMemberId(identity.memberId())
                .setGroupInstanceId(identity.groupInstanceId())
                .setErrorCode(error.code());
    }
}
