package io.runnel.group.classic;

import io.runnel.group.Group;
import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.consumer.ClassicGroupBridge;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.GroupRecordWriter;
import io.runnel.coordinator.runtime.Scheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol of the coordinator: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and
 * DescribeGroups for classic groups, and rebuilding those groups from their records at load.
 * Responses to JoinGroup and SyncGroup may be completed later (when the rebalance moves on), always
 * on the coordinator thread; their dependents must not call back into this manager synchronously.
 *
 * <p>Threading: confined to the coordinator thread, the thread that runs the {@link Scheduler}'s tasks.
 */
public final class ClassicGroupManager {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupManager.class);

    private final GroupRegistry groups;
    private final ClassicRebalancer rebalancer;
    private final ClassicJoinHandler joins;
    private final ClassicSyncHandler syncs;
    private final ClassicHeartbeatHandler heartbeats;
    private final ClassicLeaveHandler leaves;
    private final ClassicGroupMigration migration;

    /** A manager keeping its groups in {@code groups}, shared with the consumer-group protocol. */
    public ClassicGroupManager(GroupRegistry groups, Scheduler scheduler, GroupRecordWriter writer, GroupConfig config) {
        this.groups = groups;
        this.rebalancer = new ClassicRebalancer(groups, scheduler, writer, config);
        this.joins = new ClassicJoinHandler(groups, rebalancer);
        this.syncs = new ClassicSyncHandler(groups, rebalancer);
        this.heartbeats = new ClassicHeartbeatHandler(groups, rebalancer);
        this.leaves = new ClassicLeaveHandler(groups, rebalancer);
        this.migration = new ClassicGroupMigration(groups, rebalancer);
    }

    /** The classic side of online upgrades and downgrades, for the consumer-group manager. */
    public ClassicGroupBridge migration() {
        return migration;
    }

    /**
     * Handles JoinGroup (v0-9). {@code response} completes now for errors and for members that need
     * nothing from a rebalance, else when the join phase ends. Wrap the data in kafka-clients'
     * {@code JoinGroupResponse(data, version)} before encoding.
     */
    public void joinGroup(GroupRequestContext ctx, JoinGroupRequestData request,
                          CompletableFuture<JoinGroupResponseData> response) {
        joins.join(JoinRequest.of(ctx, request), response);
    }

    /**
     * The checks Kafka makes on a JoinGroup before it reaches any group (group id, session timeout
     * within group.min/max.session.timeout.ms), also for a join to a consumer group.
     */
    public Errors validateJoin(JoinGroupRequestData request) {
        return joins.validate(request.groupId(), request.sessionTimeoutMs());
    }

    /** Handles SyncGroup (v0-5). A follower's {@code response} completes once the leader's assignment is written. */
    public void syncGroup(GroupRequestContext ctx, SyncGroupRequestData request,
                          CompletableFuture<SyncGroupResponseData> response) {
        syncs.sync(request, response);
    }

    /** Handles Heartbeat (v0-4). */
    public HeartbeatResponseData heartbeat(GroupRequestContext ctx, HeartbeatRequestData request) {
        return heartbeats.heartbeat(request);
    }

    /**
     * Handles LeaveGroup (v0-5). The response always lists the members; wrap it in kafka-clients'
     * {@code LeaveGroupResponse(data, version)}, which turns it into v0-2's single top-level error.
     */
    public LeaveGroupResponseData leaveGroup(GroupRequestContext ctx, LeaveGroupRequestData request) {
        return leaves.leave(request, ctx.apiVersion());
    }

    /** Describes a group as DescribeGroups v6 and later do: an unknown group is "Dead" with GROUP_ID_NOT_FOUND. */
    public DescribedGroup describe(String groupId) {
        return describe(groupId, ClassicGroupDescriber.GROUP_ID_NOT_FOUND_MIN_VERSION);
    }

    /**
     * Describes a group as DescribeGroups {@code apiVersion} does. A group that is unknown, or not a
     * classic group, is "Dead" with error NONE before v6 and GROUP_ID_NOT_FOUND from v6, as in Kafka.
     */
    public DescribedGroup describe(String groupId, short apiVersion) {
        Group group = groups.get(groupId);
        return group instanceof ClassicGroup classic
                ? ClassicGroupDescriber.describe(classic)
                : ClassicGroupDescriber.unknown(groupId, group != null, apiVersion);
    }

    /**
     * The classic group named {@code groupId}, created Empty (protocol type "", nothing written) when
     * no group has that id, for offset commits from outside any group (generation -1).
     *
     * @throws GroupIdNotFoundException if the id belongs to a group of the other protocol
     */
    public ClassicGroup getOrCreateEmptyGroup(String groupId) {
        Group group = groups.get(groupId);
        if (group instanceof ClassicGroup classic) {
            return classic;
        }
        if (group != null) {
            throw new GroupIdNotFoundException("Group " + groupId + " is not a classic group.");
        }
        ClassicGroup created = new ClassicGroup(groupId, rebalancer.nowMs());
        groups.put(created);
        return created;
    }

    /** The classic group named {@code groupId}, or null. */
    public ClassicGroup group(String groupId) {
        return rebalancer.find(groupId);
    }

    /**
     * Applies a {@code GroupMetadata} record while loading: rebuilds the group (Stable with its
     * members, or Empty), or removes it for a tombstone.
     */
    public void replay(GroupRecordKey.ClassicGroup key, GroupRecordValue.ClassicGroup valueOrNull) {
        String groupId = key.groupId();
        ClassicGroup existing = rebalancer.find(groupId);
        if (existing != null) {
            rebalancer.cancelTimers(existing);
        }
        if (valueOrNull == null) {
            if (existing != null) {
                existing.transitionTo(ClassicGroupState.DEAD, rebalancer.nowMs());
                groups.remove(groupId);
            }
            return;
        }
        groups.put(ClassicGroupRecords.group(groupId, valueOrNull));
    }

    /**
     * The coordinator is stopping: every parked JoinGroup and SyncGroup is answered NOT_COORDINATOR,
     * as Kafka answers when it unloads a group, so members look for the coordinator again instead of
     * waiting out their request timeout.
     */
    public void unload() {
        for (Group group : groups.all()) {
            if (group instanceof ClassicGroup classic) {
                answerParked(classic, Errors.NOT_COORDINATOR);
            }
        }
    }

    /**
     * Kafka's {@code unloadGroup}, for the classic groups named by {@code groupIds} (those of a
     * partition the coordinator no longer owns): their parked JoinGroup and SyncGroup are answered
     * NOT_COORDINATOR, their timers cancelled, and they go Dead and are dropped, nothing written.
     */
    public void unloadGroups(Predicate<String> groupIds) {
        for (Group group : List.copyOf(groups.all())) {
            if (group instanceof ClassicGroup classic && groupIds.test(classic.groupId())) {
                answerParked(classic, Errors.NOT_COORDINATOR);
                rebalancer.cancelTimers(classic);
                classic.transitionTo(ClassicGroupState.DEAD, rebalancer.nowMs());
                groups.remove(classic.groupId());
            }
        }
    }

    private static void answerParked(ClassicGroup group, Errors error) {
        for (ClassicGroupMember member : List.copyOf(group.members())) {
            group.completeJoin(member, ClassicResponses.joinError(member.memberId(), error));
            group.completeSync(member, new SyncGroupResponseData().setErrorCode(error.code()));
        }
    }

    /** {@link #onLoaded(Predicate)} for every classic group: the single-node load is complete. */
    public void onLoaded() {
        onLoaded(groupId -> true);
    }

    /**
     * Called once the records of the groups named by {@code groupIds} are replayed: starts each
     * loaded member's session timeout, so members that never come back are removed, and rebalances
     * groups larger than group.max.size.
     */
    public void onLoaded(Predicate<String> groupIds) {
        for (Group group : List.copyOf(groups.all())) {
            if (group instanceof ClassicGroup classic && groupIds.test(classic.groupId())) {
                LOG.info("Loaded classic group {} with {} members", classic.groupId(), classic.size());
                classic.members().forEach(member -> rebalancer.scheduleHeartbeat(classic, member));
                if (classic.size() > rebalancer.config().classicMaxSize()) {
                    rebalancer.prepareRebalance(classic, "loaded group is over group.max.size");
                }
            }
        }
    }
}
