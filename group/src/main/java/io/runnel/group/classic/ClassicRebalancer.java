package io.runnel.group.classic;

import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.runtime.GroupRecordWriter;
import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.Scheduler;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives classic rebalances as Kafka's GroupMetadataManager does: starting one, ending the join
 * phase (by all members rejoining, the initial delay, or the rebalance timeout), ending the sync
 * phase (by the pending-sync timeout), handing out assignments, and expiring members whose session
 * timed out. Timers look their group up by id when they fire, so a deleted group's timers do nothing.
 * Confined to the coordinator thread.
 */
final class ClassicRebalancer {

    /** How long a new member may stay parked in JoinGroup: Kafka's CLASSIC_GROUP_NEW_MEMBER_JOIN_TIMEOUT_MS. */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ClassicRebalancer.class);

    private final GroupRegistry groups;
    private final Scheduler scheduler;
    private final GroupRecordWriter writer;
    private final GroupConfig config;

    ClassicRebalancer(GroupRegistry groups, Scheduler scheduler, GroupRecordWriter writer, GroupConfig config) {
        this.groups = groups;
        this.scheduler = scheduler;
        this.writer = writer;
        this.config = config;
    }

    GroupConfig config() {
        return config;
    }

    long nowMs() {
        return scheduler.nowMs();
    }

    /** The classic group named {@code groupId}, or null when there is none (or it is not classic). */
    ClassicGroup find(String groupId) {
        return groups.get(groupId) instanceof ClassicGroup group ? group : null;
    }

    /** Writes {@code records} for the group; returns NONE, or the error to answer the client with. */
    Errors write(String groupId, List<GroupRecord> records) {
        try {
            writer.write(groupId, records);
            return Errors.NONE;
        } catch (CoordinatorWriteException e) {
            Errors error = AppendErrors.toResponseError(e);
            LOG.warn("Failed to write metadata of group {}; answering {}", groupId, error, e);
            return error;
        }
    }

    // ---- session timeouts ----------------------------------------------------------------------

    void scheduleHeartbeat(ClassicGroup group, ClassicGroupMember member) {
        scheduleHeartbeat(group.groupId(), member.memberId(), member.sessionTimeoutMs());
    }

    void scheduleHeartbeat(String groupId, String memberId, long timeoutMs) {
        scheduler.schedule(ClassicTimerKeys.heartbeat(groupId, memberId), timeoutMs,
                () -> expireHeartbeat(groupId, memberId));
    }

    void cancelHeartbeat(String groupId, String memberId) {
        scheduler.cancel(ClassicTimerKeys.heartbeat(groupId, memberId));
    }

    private void expireHeartbeat(String groupId, String memberId) {
        ClassicGroup group = find(groupId);
        if (group == null || group.isIn(ClassicGroupState.DEAD)) {
            return;
        }
        if (group.isPendingMember(memberId)) {
            LOG.info("Pending member {} of group {} expired before joining", memberId, groupId);
            group.remove(memberId);
            maybeCompleteJoinAfterRemoval(group);
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        if (member != null && !member.hasSatisfiedHeartbeat()) {
            LOG.info("Member {} of group {} failed its session timeout; removing it", memberId, groupId);
            removeMember(group, member);
            if (group.isIn(ClassicGroupState.STABLE) || group.isIn(ClassicGroupState.COMPLETING_REBALANCE)) {
                maybePrepareRebalanceOrCompleteJoin(group, "member " + memberId + " expired");
            } else {
                maybeCompleteJoinAfterRemoval(group);
            }
        }
    }

    private void maybeCompleteJoinAfterRemoval(ClassicGroup group) {
        if (group.isIn(ClassicGroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /**
     * Removes a member, answering any request it has parked with UNKNOWN_MEMBER_ID (so a live client
     * rejoins) and cancelling its session timeout.
     */
    void removeMember(ClassicGroup group, ClassicGroupMember member) {
        cancelHeartbeat(group.groupId(), member.memberId());
        group.completeJoin(member, new JoinGroupResponseData().setMemberId("")
                .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        group.completeSync(member, new SyncGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        group.remove(member.memberId());
    }

    // ---- join phase ----------------------------------------------------------------------------

    void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
        if (group.canRebalance()) {
            prepareRebalance(group, reason);
        } else {
            maybeCompleteJoinPhase(group);
        }
    }

    /** Completes the join phase if every member has rejoined, unless this is a new group's first rebalance. */
    void maybeCompleteJoinPhase(ClassicGroup group) {
        if (group.isIn(ClassicGroupState.PREPARING_REBALANCE)
                && group.previousState() != ClassicGroupState.EMPTY
                && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /**
     * Starts a rebalance: members parked in SyncGroup are told REBALANCE_IN_PROGRESS; a new group
     * waits group.initial.rebalance.delay.ms for more members, any other until all have rejoined or
     * the rebalance timeout passes.
     */
    void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isIn(ClassicGroupState.COMPLETING_REBALANCE)) {
            propagateError(group, Errors.REBALANCE_IN_PROGRESS);
        }
        group.clearPendingSyncMembers();
        scheduler.cancel(ClassicTimerKeys.sync(group.groupId()));
        boolean initial = group.isIn(ClassicGroupState.EMPTY);
        if (initial) {
            int delayMs = config.classicInitialRebalanceDelayMs();
            int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            scheduleInitialDelay(group.groupId(), delayMs, remainingMs);
        }
        group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, nowMs());
        LOG.info("Preparing to rebalance group {} with old generation {} ({})", group.groupId(), group.generationId(), reason);
        if (!initial) {
            if (group.hasAllMembersJoined()) {
                completeJoin(group);
            } else {
                scheduleJoinTimeout(group);
            }
        }
    }

    private void scheduleJoinTimeout(ClassicGroup group) {
        String groupId = group.groupId();
        scheduler.schedule(ClassicTimerKeys.join(groupId), group.rebalanceTimeoutMs(), () -> onJoinTimeout(groupId));
    }

    private void scheduleInitialDelay(String groupId, int delayMs, int remainingMs) {
        scheduler.schedule(ClassicTimerKeys.join(groupId), delayMs, () -> onInitialDelay(groupId, delayMs, remainingMs));
    }

    /** Kafka's InitialDelayedJoin: each delay that saw a new member is followed by another, up to the rebalance timeout. */
    private void onInitialDelay(String groupId, int delayMs, int remainingMs) {
        ClassicGroup group = find(groupId);
        if (group == null || !group.isIn(ClassicGroupState.PREPARING_REBALANCE)) {
            return;
        }
        if (group.newMemberAdded() && remainingMs != 0) {
            group.setNewMemberAdded(false);
            int nextDelayMs = Math.min(config.classicInitialRebalanceDelayMs(), remainingMs);
            scheduleInitialDelay(groupId, nextDelayMs, Math.max(remainingMs - delayMs, 0));
        } else {
            completeJoin(group);
        }
    }

    private void onJoinTimeout(String groupId) {
        ClassicGroup group = find(groupId);
        if (group != null && group.isIn(ClassicGroupState.PREPARING_REBALANCE)) {
            completeJoin(group);
        }
    }

    /**
     * Ends the join phase: dynamic members that did not rejoin are removed, and the next generation
     * starts, answering every parked JoinGroup (the leader gets the members' metadata), or, without
     * members, the group becomes Empty and that is written. If no member rejoined at all, waits
     * another rebalance timeout for session timeouts to remove the silent ones.
     */
    void completeJoin(ClassicGroup group) {
        scheduler.cancel(ClassicTimerKeys.join(group.groupId()));
        for (ClassicGroupMember member : group.notYetRejoined()) {
            if (!member.isStatic()) {
                LOG.info("Removing member {} of group {}: it did not rejoin in time", member.memberId(), group.groupId());
                removeMember(group, member);
            }
        }
        if (group.isIn(ClassicGroupState.DEAD)) {
            return;
        }
        if (!group.maybeElectNewJoinedLeader() && group.size() > 0) {
            LOG.warn("Group {} cannot complete its rebalance: no member rejoined", group.groupId());
            scheduleJoinTimeout(group);
            return;
        }
        group.initNextGeneration(nowMs());
        if (group.isIn(ClassicGroupState.EMPTY)) {
            LOG.info("Group {} with generation {} is now empty", group.groupId(), group.generationId());
            write(group.groupId(), List.of(ClassicGroupRecords.emptyRecord(group)));
        } else {
            startSyncPhase(group);
        }
    }

    private void startSyncPhase(ClassicGroup group) {
        LOG.info("Group {} starts generation {} with {} members", group.groupId(), group.generationId(), group.size());
        List<ClassicGroupMember> members = List.copyOf(group.members());
        for (ClassicGroupMember member : members) {
            scheduleHeartbeat(group, member);
            member.setNew(false);
            group.addPendingSyncMember(member.memberId());
        }
        schedulePendingSync(group);
        for (ClassicGroupMember member : members) {
            group.completeJoin(member, ClassicResponses.joinSuccess(group, member.memberId(),
                    group.isLeader(member.memberId())));
        }
    }

    // ---- sync phase ----------------------------------------------------------------------------

    private void schedulePendingSync(ClassicGroup group) {
        String groupId = group.groupId();
        int generationId = group.generationId();
        scheduler.schedule(ClassicTimerKeys.sync(groupId), group.rebalanceTimeoutMs(),
                () -> expirePendingSync(groupId, generationId));
    }

    /** Members that did not send SyncGroup within the rebalance timeout are removed and the group rebalances. */
    private void expirePendingSync(String groupId, int generationId) {
        ClassicGroup group = find(groupId);
        if (group == null || group.generationId() != generationId || group.hasReceivedSyncFromAllMembers()
                || !(group.isIn(ClassicGroupState.COMPLETING_REBALANCE) || group.isIn(ClassicGroupState.STABLE))) {
            return;
        }
        for (String memberId : group.pendingSyncMembers()) {
            LOG.info("Removing member {} of group {}: it did not sync in time", memberId, groupId);
            removeMember(group, group.member(memberId));
        }
        prepareRebalance(group, "members did not sync in time");
    }

    /** Notes that {@code memberId} synced; the pending-sync timer stops once all have. */
    void removePendingSyncMember(ClassicGroup group, String memberId) {
        group.removePendingSyncMember(memberId);
        if (group.hasReceivedSyncFromAllMembers()) {
            scheduler.cancel(ClassicTimerKeys.sync(group.groupId()));
        }
    }

    /** Sets the leader's assignment (members it left out get an empty one) and answers parked SyncGroups. */
    void propagateAssignment(ClassicGroup group, Map<String, byte[]> assignments) {
        group.members().forEach(member ->
                member.setAssignment(assignments.getOrDefault(member.memberId(), ClassicGroupMember.EMPTY_ASSIGNMENT)));
        propagate(group, Errors.NONE);
    }

    /** Clears every assignment and answers parked SyncGroups with {@code error}. */
    void propagateError(ClassicGroup group, Errors error) {
        group.members().forEach(member -> member.setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT));
        propagate(group, error);
    }

    private void propagate(ClassicGroup group, Errors error) {
        for (ClassicGroupMember member : List.copyOf(group.members())) {
            SyncGroupResponseData response = error == Errors.NONE
                    ? ClassicResponses.syncSuccess(group, member)
                    : new SyncGroupResponseData().setErrorCode(error.code());
            if (group.completeSync(member, response)) {
                scheduleHeartbeat(group, member);
            }
        }
    }

    /** Cancels every timer of a group that is going away. */
    void cancelTimers(ClassicGroup group) {
        scheduler.cancel(ClassicTimerKeys.join(group.groupId()));
        scheduler.cancel(ClassicTimerKeys.sync(group.groupId()));
        group.members().forEach(member -> cancelHeartbeat(group.groupId(), member.memberId()));
        group.pendingJoinMemberIds().forEach(memberId -> cancelHeartbeat(group.groupId(), memberId));
    }
}
