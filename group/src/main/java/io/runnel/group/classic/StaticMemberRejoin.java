package io.runnel.group.classic;

import io.runnel.group.record.GroupRecordValue.ClassicProtocol;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A known static member (its {@code group.instance.id} is in the group) joining without a member id,
 * typically after a restart: it takes over the old member id's place, fencing the old id. In a
 * Stable group whose chosen protocol would not change this needs no rebalance; the new member id is
 * persisted and the member gets the current generation back (and its assignment through SyncGroup).
 * Confined to the coordinator thread.
 */
final class StaticMemberRejoin {

    private static final Logger LOG = LoggerFactory.getLogger(StaticMemberRejoin.class);

    private final ClassicRebalancer rebalancer;

    StaticMemberRejoin(ClassicRebalancer rebalancer) {
        this.rebalancer = rebalancer;
    }

    void rejoin(ClassicGroup group, JoinRequest join, String oldMemberId, String newMemberId,
                CompletableFuture<JoinGroupResponseData> response) {
        String previousLeader = group.leaderId();
        ClassicGroupMember member = group.replaceStaticMember(join.groupInstanceId(), oldMemberId, newMemberId);
        rebalancer.cancelHeartbeat(group.groupId(), oldMemberId);
        rebalancer.scheduleHeartbeat(group, member);
        MemberSettings previous = MemberSettings.of(member);
        group.updateMember(member, join.protocols(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(), response);
        String reason = "static member " + join.groupInstanceId() + " rejoined as " + newMemberId;
        switch (group.state()) {
            case STABLE -> {
                if (Objects.equals(group.protocolName(), group.selectProtocol())) {
                    persistWithoutRebalance(group, join, member, oldMemberId, previous, previousLeader, response);
                } else {
                    rebalancer.maybePrepareRebalanceOrCompleteJoin(group, reason + " with a protocol change");
                }
            }
            case COMPLETING_REBALANCE -> rebalancer.prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> rebalancer.maybeCompleteJoinPhase(group);
            default -> throw new IllegalStateException("Static member rejoined group " + group.groupId()
                    + " in state " + group.state());
        }
    }

    private void persistWithoutRebalance(ClassicGroup group, JoinRequest join, ClassicGroupMember member,
                                         String oldMemberId, MemberSettings previous, String previousLeader,
                                         CompletableFuture<JoinGroupResponseData> response) {
        LOG.info("Static member {} of group {} rejoined as {} without changing the protocol; no rebalance",
                join.groupInstanceId(), group.groupId(), member.memberId());
        Errors error = rebalancer.write(group.groupId(), List.of(ClassicGroupRecords.record(group, group.assignments())));
        if (error != Errors.NONE) {
            revert(group, join, member, oldMemberId, previous);
            response.complete(ClassicResponses.joinSuccess(group, "", false)
                    .setLeader(ClassicResponses.leaderOrEmpty(previousLeader))
                    .setErrorCode(error.code()));
        } else if (join.supportsSkippingAssignment()) {
            boolean isLeader = group.isLeader(member.memberId());
            group.completeJoin(member, ClassicResponses.joinSuccess(group, member.memberId(), isLeader)
                    .setSkipAssignment(isLeader));
        } else {
            // Older clients are told the old leader id, so a restarted leader acts as a follower
            // and keeps the current assignment instead of computing a new one.
            group.completeJoin(member, ClassicResponses.joinSuccess(group, member.memberId(), false)
                    .setLeader(ClassicResponses.leaderOrEmpty(previousLeader)));
        }
    }

    private void revert(ClassicGroup group, JoinRequest join, ClassicGroupMember member, String oldMemberId,
                        MemberSettings previous) {
        group.updateMember(member, previous.protocols(), previous.rebalanceTimeoutMs(), previous.sessionTimeoutMs(), null);
        ClassicGroupMember restored = group.replaceStaticMember(join.groupInstanceId(), member.memberId(), oldMemberId);
        rebalancer.cancelHeartbeat(group.groupId(), member.memberId());
        rebalancer.scheduleHeartbeat(group, restored);
    }

    /** What a member had before a rejoin updated it, to undo the update. */
    private record MemberSettings(List<ClassicProtocol> protocols, int rebalanceTimeoutMs, int sessionTimeoutMs) {
        static MemberSettings of(ClassicGroupMember member) {
            return new MemberSettings(member.protocols(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs());
        }
    }
}
