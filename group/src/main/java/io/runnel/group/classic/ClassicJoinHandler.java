package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JoinGroup, as Kafka's {@code classicGroupJoin}: creates the group for a member without an id,
 * hands out member ids, admits members up to group.max.size, and starts or joins a rebalance.
 * Confined to the coordinator thread.
 */
final class ClassicJoinHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicJoinHandler.class);

    private final GroupRegistry groups;
    private final ClassicRebalancer rebalancer;
    private final StaticMemberRejoin staticRejoin;

    ClassicJoinHandler(GroupRegistry groups, ClassicRebalancer rebalancer) {
        this.groups = groups;
        this.rebalancer = rebalancer;
        this.staticRejoin = new StaticMemberRejoin(rebalancer);
    }

    void join(JoinRequest join, CompletableFuture<JoinGroupResponseData> response) {
        Errors invalid = validate(join.groupId(), join.sessionTimeoutMs());
        if (invalid != Errors.NONE) {
            response.complete(ClassicResponses.joinError(join.memberId(), invalid));
            return;
        }
        ClassicGroup group = resolveGroup(join, response);
        if (group == null) {
            return;
        }
        if (!acceptJoiningMember(group, join.memberId())) {
            rebalancer.cancelHeartbeat(group.groupId(), join.memberId());
            group.remove(join.memberId());
            response.complete(ClassicResponses.joinError("", Errors.GROUP_MAX_SIZE_REACHED));
        } else if (join.isUnknownMember()) {
            joinNewMember(group, join, response);
        } else {
            joinExistingMember(group, join, response);
        }
    }

    /** The checks Kafka's GroupCoordinatorService makes before the request reaches the group. */
    Errors validate(String groupId, int sessionTimeoutMs) {
        GroupConfig config = rebalancer.config();
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (sessionTimeoutMs < config.classicMinSessionTimeoutMs()
                || sessionTimeoutMs > config.classicMaxSessionTimeoutMs()) {
            return Errors.INVALID_SESSION_TIMEOUT;
        }
        return Errors.NONE;
    }

    /**
     * The classic group to join, created (and its Empty record written) for a member without an id.
     * An empty group of the other protocol is deleted (its tombstones written in the same batch) and
     * replaced; a non-empty one is refused, since online migration is not supported.
     */
    private ClassicGroup resolveGroup(JoinRequest join, CompletableFuture<JoinGroupResponseData> response) {
        Group existing = groups.get(join.groupId());
        if (existing instanceof ClassicGroup classic) {
            return classic;
        }
        if (existing != null && !existing.isEmpty()) {
            response.complete(ClassicResponses.joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return null;
        }
        if (!join.isUnknownMember()) {
            response.complete(ClassicResponses.joinError(join.memberId(), Errors.UNKNOWN_MEMBER_ID));
            return null;
        }
        ClassicGroup created = new ClassicGroup(join.groupId(), rebalancer.nowMs());
        List<GroupRecord> records = new ArrayList<>(existing == null ? List.of() : existing.tombstones());
        records.add(ClassicGroupRecords.emptyRecord(created));
        Errors error = rebalancer.write(join.groupId(), records);
        if (error != Errors.NONE) {
            response.complete(ClassicResponses.joinError(join.memberId(), error));
            return null;
        }
        if (existing != null) {
            LOG.info("Converted empty {} group {} to a classic group", existing.type().wireName(), join.groupId());
        }
        groups.put(created);
        return created;
    }

    /**
     * Kafka's group.max.size rule: while preparing a rebalance, the members already parked in
     * JoinGroup count (so the last to rejoin are the ones turned away); otherwise the members do.
     */
    private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
        int maxSize = rebalancer.config().classicMaxSize();
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
                    || group.awaitingJoinCount() < maxSize;
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.size() < maxSize;
        };
    }

    private void joinNewMember(ClassicGroup group, JoinRequest join, CompletableFuture<JoinGroupResponseData> response) {
        if (group.isIn(ClassicGroupState.DEAD)) {
            response.complete(ClassicResponses.joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(join.protocolType(), join.protocolNames())) {
            response.complete(ClassicResponses.joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String newMemberId = ClassicGroup.newMemberId(join.clientId(), join.groupInstanceId());
        if (join.groupInstanceId() != null) {
            String existingMemberId = group.staticMemberId(join.groupInstanceId());
            if (existingMemberId != null) {
                staticRejoin.rejoin(group, join, existingMemberId, newMemberId, response);
            } else {
                addMemberThenRebalance(group, join, newMemberId, response);
            }
        } else if (join.requiresKnownMemberId()) {
            group.addPendingMember(newMemberId);
            rebalancer.scheduleHeartbeat(group.groupId(), newMemberId, join.sessionTimeoutMs());
            response.complete(ClassicResponses.joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMemberThenRebalance(group, join, newMemberId, response);
        }
    }

    private void joinExistingMember(ClassicGroup group, JoinRequest join,
                                    CompletableFuture<JoinGroupResponseData> response) {
        String memberId = join.memberId();
        if (group.isIn(ClassicGroupState.DEAD)) {
            response.complete(ClassicResponses.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(join.protocolType(), join.protocolNames())) {
            response.complete(ClassicResponses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId) && join.groupInstanceId() == null) {
            addMemberThenRebalance(group, join, memberId, response);
            return;
        }
        Errors error = group.validateMember(memberId, join.groupInstanceId());
        if (error != Errors.NONE) {
            response.complete(ClassicResponses.joinError(memberId, error));
            return;
        }
        rejoin(group, group.member(memberId), join, response);
    }

    /** A current member joining again: Kafka's per-state rules for when that starts a rebalance. */
    private void rejoin(ClassicGroup group, ClassicGroupMember member, JoinRequest join,
                        CompletableFuture<JoinGroupResponseData> response) {
        String memberId = member.memberId();
        boolean sameMetadata = member.matches(join.protocols());
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberThenRebalance(group, member, join, response);
            case COMPLETING_REBALANCE -> {
                if (sameMetadata) {
                    // It probably missed the JoinGroup response: send the current generation again.
                    response.complete(ClassicResponses.joinSuccess(group, memberId, group.isLeader(memberId)));
                } else {
                    updateMemberThenRebalance(group, member, join, response);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !sameMetadata) {
                    // A leader's JoinGroup asks for a rebalance (e.g. after topic metadata changed).
                    updateMemberThenRebalance(group, member, join, response);
                } else {
                    response.complete(ClassicResponses.joinSuccess(group, memberId, false));
                }
            }
            default -> response.complete(ClassicResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private void updateMemberThenRebalance(ClassicGroup group, ClassicGroupMember member, JoinRequest join,
                                           CompletableFuture<JoinGroupResponseData> response) {
        group.updateMember(member, join.protocols(), join.rebalanceTimeoutMs(), join.sessionTimeoutMs(), response);
        rebalancer.maybePrepareRebalanceOrCompleteJoin(group, "member " + member.memberId() + " rejoined");
    }

    private void addMemberThenRebalance(ClassicGroup group, JoinRequest join, String memberId,
                                        CompletableFuture<JoinGroupResponseData> response) {
        ClassicGroupMember member = join.newMember(memberId);
        member.setNew(true);
        if (group.isIn(ClassicGroupState.PREPARING_REBALANCE) && group.previousState() == ClassicGroupState.EMPTY) {
            group.setNewMemberAdded(true);
        }
        group.add(member, response);
        // A new member parked in JoinGroup cannot heartbeat; time it out if it is gone for long.
        rebalancer.scheduleHeartbeat(group.groupId(), memberId, ClassicRebalancer.NEW_MEMBER_JOIN_TIMEOUT_MS);
        rebalancer.maybePrepareRebalanceOrCompleteJoin(group, "new member " + memberId + " joined");
    }
}
