package io.runnel.group.consumer;

import io.runnel.group.runtime.WriteErrors;
import io.runnel.group.Group;
import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.TopicCatalog;
import io.runnel.group.consumer.assignor.PartitionAssignor;
import io.runnel.group.consumer.assignor.RangeAssignor;
import io.runnel.group.consumer.assignor.UniformAssignor;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.GroupRecordWriter;
import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
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
 * The consumer group protocol of KIP-848: ConsumerGroupHeartbeat, ConsumerGroupDescribe, member
 * session and rebalance timeouts, and reassignment when topics change, as Kafka's
 * {@code GroupMetadataManager} does it for consumer groups; classic-protocol members of consumer
 * groups ({@link ClassicMemberHandler}); and the online migration of group.consumer.migration.policy:
 * a consumer-protocol member joining a non-empty classic group upgrades it, the last one leaving a
 * group of classic members downgrades it.
 *
 * <p>Every operation first computes records from the current state, writes them with the
 * {@link GroupRecordWriter}, and only when the write succeeded applies them through
 * {@link #replay}, the method that also rebuilds the groups at load. A failed write leaves the state
 * untouched and answers with the error Kafka maps a failed append to.
 *
 * <p>Confined to the coordinator thread: every method, and every task it schedules, runs there.
 */
public final class ConsumerGroupManager {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupManager.class);

    private final GroupRegistry groups;
    private final Scheduler scheduler;
    private final GroupRecordWriter writer;
    private final GroupConfig config;
    private final TopicCatalog topics;
    private final TopicSubscriptions subscriptions;
    private final Map<String, PartitionAssignor> assignors = new LinkedHashMap<>();
    private final ConsumerGroupReplayer replayer;
    private final ClassicGroupBridge classicGroups;
    private final ClassicMemberHandler classicMembers;

    /**
     * @param groups    the registry shared with classic groups
     * @param scheduler time and timers of the coordinator thread
     * @param writer    appends records to the group's {@code __consumer_offsets} partition
     * @param config    the consumer group settings; {@code consumerAssignors} may name "uniform" and "range"
     * @param topics    the topics that exist
     * @param classicGroups the classic side, for upgrading and downgrading groups online
     * @throws IllegalArgumentException if an assignor name is unknown or none is configured
     */
    public ConsumerGroupManager(GroupRegistry groups, Scheduler scheduler, GroupRecordWriter writer,
                                GroupConfig config, TopicCatalog topics, ClassicGroupBridge classicGroups) {
        this.groups = groups;
        this.classicGroups = classicGroups;
        this.classicMembers = new ClassicMemberHandler(this, topics);
        this.scheduler = scheduler;
        this.writer = writer;
        this.config = config;
        this.topics = topics;
        this.subscriptions = new TopicSubscriptions(topics);
        this.replayer = new ConsumerGroupReplayer(groups);
        for (String name : config.consumerAssignors()) {
            assignors.put(name, assignor(name));
        }
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("group.consumer.assignors must name at least one assignor");
        }
    }

    private static PartitionAssignor assignor(String name) {
        if (UniformAssignor.NAME.equals(name)) {
            return new UniformAssignor();
        }
        if (RangeAssignor.NAME.equals(name)) {
            return new RangeAssignor();
        }
        throw new IllegalArgumentException("Unknown consumer group assignor " + name);
    }

    // ---------------------------------------------------------------- heartbeat

    /**
     * Handles a ConsumerGroupHeartbeat (v0-1): join (epoch 0), heartbeat, leave (-1) or static
     * leave (-2). Errors are returned in the response, never thrown.
     */
    public ConsumerGroupHeartbeatResponseData heartbeat(GroupRequestContext context,
                                                        ConsumerGroupHeartbeatRequestData request) {
        try {
            HeartbeatValidator.validate(request, context.apiVersion(), config.consumerAssignors());
            if (request.memberEpoch() == ConsumerGroupMember.LEAVE_GROUP_MEMBER_EPOCH
                    || request.memberEpoch() == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                return leave(request);
            }
            return joinOrHeartbeat(context, request);
        } catch (ApiException e) {
            return errorResponse(Errors.forException(e), e.getMessage());
        } catch (CoordinatorWriteException e) {
            Errors error = WriteErrors.map(e);
            return errorResponse(error, error.message());
        } catch (RuntimeException e) {
            LOG.error("[GroupId {}] ConsumerGroupHeartbeat failed unexpectedly", request.groupId(), e);
            return errorResponse(Errors.UNKNOWN_SERVER_ERROR, Errors.UNKNOWN_SERVER_ERROR.message());
        }
    }

    /** A member as found or created for a heartbeat, and the static member it replaces, if any. */
    record Joining(ConsumerGroupMember member, String replacedMemberId, Map<Uuid, Set<Integer>> inheritedTarget) {
        Joining(ConsumerGroupMember member) {
            this(member, null, null);
        }
    }

    private ConsumerGroupHeartbeatResponseData joinOrHeartbeat(GroupRequestContext context,
                                                               ConsumerGroupHeartbeatRequestData request) {
        String groupId = request.groupId();
        boolean joining = request.memberEpoch() == 0;
        List<GroupRecord> records = new ArrayList<>();
        Group existing = groups.get(groupId);
        ConsumerGroup group = groupForHeartbeat(groupId, joining, records);
        throwIfGroupIsFull(group, request.memberId());
        String memberId = request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
        Joining joined = request.instanceId() == null
                ? dynamicMember(group, memberId, request, joining)
                : staticMember(group, memberId, request, joining, records);

        ConsumerGroupMember member = joined.member();
        ConsumerGroupMember updated = member.withMetadata(updatedMetadata(member.metadata(), context, request));
        ConsumerGroupMember reconciled = updateAndReconcile(group, joined, updated, request.topicPartitions(), records);

        apply(groupId, records);
        if (existing != null && existing != group && !existing.isEmpty()) {
            onUpgraded(existing, group);
        }
        if (joined.replacedMemberId() != null && !joined.replacedMemberId().equals(memberId)) {
            cancelTimers(groupId, joined.replacedMemberId());
        }
        scheduleSessionTimeout(groupId, reconciled);
        scheduleOrCancelRebalanceTimeout(groupId, updated, reconciled);

        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(reconciled.memberId())
                .setMemberEpoch(reconciled.memberEpoch())
                .setHeartbeatIntervalMs(config.consumerHeartbeatIntervalMs());
        boolean fullRequest = joining || (request.rebalanceTimeoutMs() != -1
                && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null) && request.topicPartitions() != null);
        if (fullRequest || !reconciled.assignedPartitions().equals(member.assignedPartitions())) {
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                    .setTopicPartitions(Assignments.toHeartbeat(reconciled.assignedPartitions())));
        }
        return response;
    }

    /**
     * The records of one member update, as Kafka's heartbeat steps 1-3: the member's new metadata
     * (and a group epoch bump if its subscription changed), a new target assignment if the group
     * epoch moved past it, and one reconciliation step of the member towards its target.
     *
     * @param owned the partitions the member says it owns, or null if it did not say
     * @return the reconciled member; {@code records} receives the records to write
     */
    ConsumerGroupMember updateAndReconcile(ConsumerGroup group, Joining joined, ConsumerGroupMember updated,
                                           List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned,
                                           List<GroupRecord> records) {
        String groupId = group.groupId();
        ConsumerGroupMember member = joined.member();
        boolean bumpGroupEpoch = group.groupEpoch() == 0;
        if (!updated.equals(member)) {
            records.add(ConsumerGroupRecords.member(groupId, updated));
            if (updated.hasSubscriptionChangedFrom(member)) {
                String regex = updated.subscribedTopicRegex();
                if (regex != null && !regex.isEmpty() && !regex.equals(member.subscribedTopicRegex())) {
                    TopicSubscriptions.validate(regex);
                }
                bumpGroupEpoch = true;
            }
        }
        int groupEpoch = group.groupEpoch();
        if (bumpGroupEpoch) {
            groupEpoch++;
            records.add(ConsumerGroupRecords.groupEpoch(groupId, groupEpoch));
        }

        int targetEpoch;
        Map<Uuid, Set<Integer>> target;
        if (groupEpoch > group.assignmentEpoch()) {
            Map<String, ConsumerGroupMember> view = new LinkedHashMap<>(group.members());
            if (joined.replacedMemberId() != null) {
                view.remove(joined.replacedMemberId());
            }
            view.put(updated.memberId(), updated);
            String assignorName = ConsumerGroup.preferredServerAssignor(view.values(), config.consumerAssignors());
            PartitionAssignor assignor = assignors.get(assignorName != null ? assignorName : config.consumerAssignors().get(0));
            Map<String, Map<Uuid, Set<Integer>>> targets = TargetAssignmentBuilder.build(groupId, groupEpoch,
                    view.values(), id -> currentTarget(group, joined, id), assignor, subscriptions, records);
            targetEpoch = groupEpoch;
            target = targets.get(updated.memberId());
        } else {
            targetEpoch = group.assignmentEpoch();
            Map<Uuid, Set<Integer>> current = currentTarget(group, joined, updated.memberId());
            target = current == null ? Assignments.EMPTY : current;
        }
        ConsumerGroupMember reconciled = CurrentAssignmentBuilder.reconcile(updated, targetEpoch, target,
                group::currentPartitionEpoch, owned);
        if (!reconciled.assignment().equals(updated.assignment())) {
            records.add(ConsumerGroupRecords.currentAssignment(groupId, reconciled));
        }
        return reconciled;
    }

    /** A member revoking partitions must finish within its rebalance timeout; a member that is not, need not. */
    void scheduleOrCancelRebalanceTimeout(String groupId, ConsumerGroupMember before, ConsumerGroupMember after) {
        if (after.assignment().equals(before.assignment())) {
            return;
        }
        if (after.state() == MemberState.UNREVOKED_PARTITIONS) {
            scheduleRebalanceTimeout(groupId, after.memberId(), after.memberEpoch(), after.rebalanceTimeoutMs());
        } else {
            scheduler.cancel(rebalanceTimeoutKey(groupId, after.memberId()));
        }
    }

    private static Map<Uuid, Set<Integer>> currentTarget(ConsumerGroup group, Joining joined, String memberId) {
        if (joined.inheritedTarget() != null && memberId.equals(joined.member().memberId())) {
            return joined.inheritedTarget();
        }
        return group.targetAssignment(memberId);
    }

    /** The group a heartbeat addresses; a new or converted group is not registered until its records apply. */
    private ConsumerGroup groupForHeartbeat(String groupId, boolean joining, List<GroupRecord> records) {
        Group existing = groups.get(groupId);
        if (existing == null) {
            if (!joining) {
                throw new GroupIdNotFoundException(String.format("Consumer group %s not found.", groupId));
            }
            return new ConsumerGroup(groupId);
        }
        if (existing instanceof ConsumerGroup group) {
            return group;
        }
        if (joining && existing.isEmpty()) {
            LOG.info("[GroupId {}] Converting the empty {} group to a consumer group.", groupId, existing.type().wireName());
            records.addAll(existing.tombstones());
            return new ConsumerGroup(groupId);
        }
        ClassicGroupBridge.ClassicGroupSnapshot snapshot = joining ? classicGroups.snapshot(existing) : null;
        if (joining && canUpgrade(existing, snapshot)) {
            return ClassicGroupUpgrade.convert(existing, snapshot, topics, records);
        }
        throw new GroupIdNotFoundException(String.format("Group %s is not a consumer group.", groupId));
    }

    /** Kafka's {@code validateOnlineUpgrade}: the policy allows it, the group is a consumer one and fits. */
    private boolean canUpgrade(Group classicGroup, ClassicGroupBridge.ClassicGroupSnapshot snapshot) {
        String groupId = classicGroup.groupId();
        if (!config.consumerMigrationPolicy().isUpgradeEnabled()) {
            LOG.info("Cannot upgrade classic group {} to consumer group because the online upgrade is disabled.", groupId);
            return false;
        }
        if (snapshot == null) {
            LOG.info("Cannot upgrade classic group {} to consumer group because the group does not use the consumer "
                    + "embedded protocol.", groupId);
            return false;
        }
        if (snapshot.members().size() > config.consumerMaxSize()) {
            LOG.info("Cannot upgrade classic group {} to consumer group because the group size exceeds the consumer "
                    + "group maximum size.", groupId);
            return false;
        }
        return true;
    }

    /** The upgrade's records are written: the classic group's parked requests and timers end, its members' sessions start. */
    private void onUpgraded(Group classicGroup, ConsumerGroup converted) {
        classicGroups.retire(classicGroup);
        ConsumerGroup group = (ConsumerGroup) groups.get(converted.groupId());
        for (ConsumerGroupMember member : group.members().values()) {
            if (member.useClassicProtocol()) {
                scheduleSessionTimeout(group.groupId(), member);
            }
        }
        LOG.info("[GroupId {}] Upgraded the classic group to a consumer group.", group.groupId());
    }

    void throwIfGroupIsFull(ConsumerGroup group, String requestMemberId) {
        if (group.members().size() >= config.consumerMaxSize()
                && (requestMemberId.isEmpty() || group.member(requestMemberId) == null)) {
            throw new GroupMaxSizeReachedException("The consumer group has reached its maximum capacity of "
                    + config.consumerMaxSize() + " members.");
        }
    }

    private Joining dynamicMember(ConsumerGroup group, String memberId, ConsumerGroupHeartbeatRequestData request,
                                  boolean joining) {
        ConsumerGroupMember member = group.member(memberId);
        if (member == null) {
            if (!joining) {
                throw new UnknownMemberIdException(String.format("Member %s is not a member of group %s.",
                        memberId, group.groupId()));
            }
            return new Joining(ConsumerGroupMember.newMember(memberId));
        }
        throwIfMemberEpochIsInvalid(member, request.memberEpoch(), request.topicPartitions());
        return new Joining(member);
    }

    private Joining staticMember(ConsumerGroup group, String memberId, ConsumerGroupHeartbeatRequestData request,
                                 boolean joining, List<GroupRecord> records) {
        String instanceId = request.instanceId();
        ConsumerGroupMember existing = group.staticMember(instanceId);
        if (joining) {
            if (existing == null) {
                ConsumerGroupMember member = group.member(memberId);
                return new Joining(member != null ? member : ConsumerGroupMember.newMember(memberId));
            }
            if (existing.memberEpoch() != ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                throw new UnreleasedInstanceIdException("Static member " + memberId + " with instance id "
                        + instanceId + " cannot join the group because the instance id is owned by "
                        + existing.memberId() + " member.");
            }
            return replaceStaticMember(group, existing, memberId, records);
        }
        if (existing == null) {
            throw new UnknownMemberIdException("Instance id " + instanceId + " is unknown.");
        }
        if (!existing.memberId().equals(memberId)) {
            throw new FencedInstanceIdException("Static member " + memberId + " with instance id " + instanceId
                    + " was fenced by member " + existing.memberId() + ".");
        }
        throwIfMemberEpochIsInvalid(existing, request.memberEpoch(), request.topicPartitions());
        return new Joining(existing);
    }

    /** The records of Kafka's {@code replaceMember}: the new id inherits metadata, target and partitions. */
    static Joining replaceStaticMember(ConsumerGroup group, ConsumerGroupMember existing, String memberId,
                                               List<GroupRecord> records) {
        String groupId = group.groupId();
        GroupRecordValue.CurrentAssignment old = existing.assignment();
        ConsumerGroupMember replacement = existing.withMemberId(memberId).withAssignment(
                new GroupRecordValue.CurrentAssignment(0, 0, old.state(), old.assignedPartitions(),
                        old.partitionsPendingRevocation()));
        Map<Uuid, Set<Integer>> target = group.targetAssignment(existing.memberId());
        Map<Uuid, Set<Integer>> inherited = target == null ? Assignments.EMPTY : target;
        records.addAll(memberTombstones(groupId, existing.memberId()));
        records.add(ConsumerGroupRecords.member(groupId, replacement));
        records.add(ConsumerGroupRecords.targetMember(groupId, memberId, inherited));
        records.add(ConsumerGroupRecords.currentAssignment(groupId, replacement));
        LOG.info("[GroupId {}] Static member with instance id {} re-joins as member {}, replacing member {}.",
                groupId, existing.instanceId(), memberId, existing.memberId());
        return new Joining(replacement, existing.memberId(), inherited);
    }

    private static void throwIfMemberEpochIsInvalid(ConsumerGroupMember member, int receivedEpoch,
                                                    List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        if (receivedEpoch == 0) {
            return; // a rejoin after being fenced (KAFKA-19233)
        }
        if (receivedEpoch > member.memberEpoch()) {
            throw new FencedMemberEpochException("The consumer group member has a greater member epoch ("
                    + receivedEpoch + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (receivedEpoch < member.memberEpoch()
                && (receivedEpoch != member.previousMemberEpoch() || !Assignments.isSubset(owned, member.assignedPartitions()))) {
            throw new FencedMemberEpochException("The consumer group member has a smaller member epoch ("
                    + receivedEpoch + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin.");
        }
    }

    /** The member's metadata with the request's non-null fields (null means "unchanged"). */
    private static GroupRecordValue.ConsumerGroupMember updatedMetadata(GroupRecordValue.ConsumerGroupMember old,
                                                                        GroupRequestContext context,
                                                                        ConsumerGroupHeartbeatRequestData request) {
        return new GroupRecordValue.ConsumerGroupMember(
                request.instanceId() != null ? request.instanceId() : old.instanceId(),
                request.rackId() != null ? request.rackId() : old.rackId(),
                context.clientId() != null ? context.clientId() : "",
                context.clientHost() != null ? context.clientHost() : "",
                request.subscribedTopicNames() != null ? request.subscribedTopicNames() : old.subscribedTopicNames(),
                request.subscribedTopicRegex() != null ? request.subscribedTopicRegex() : old.subscribedTopicRegex(),
                request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs() : old.rebalanceTimeoutMs(),
                request.serverAssignor() != null ? request.serverAssignor() : old.serverAssignor());
    }

    // ---------------------------------------------------------------- classic members

    /** JoinGroup of a classic-protocol member to the non-empty consumer group {@code groupId}. */
    public JoinGroupResponseData classicJoin(GroupRequestContext context, JoinGroupRequestData request) {
        return classicMembers.join(existingGroup(request.groupId()), context, request);
    }

    /** SyncGroup of a classic-protocol member of the consumer group {@code groupId}. */
    public SyncGroupResponseData classicSync(SyncGroupRequestData request) {
        return classicMembers.sync(existingGroup(request.groupId()), request);
    }

    /** Heartbeat of a classic-protocol member of the consumer group {@code groupId}. */
    public HeartbeatResponseData classicHeartbeat(HeartbeatRequestData request) {
        return classicMembers.heartbeat(existingGroup(request.groupId()), request);
    }

    // ---------------------------------------------------------------- leave and fencing

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroup group = existingGroup(request.groupId());
        String memberId = request.memberId();
        ConsumerGroupMember member;
        if (request.instanceId() == null) {
            member = group.member(memberId);
            if (member == null) {
                throw new UnknownMemberIdException(String.format("Member %s is not a member of group %s.",
                        memberId, group.groupId()));
            }
            LOG.info("[GroupId {}] Member {} left the consumer group.", group.groupId(), memberId);
        } else {
            member = group.staticMember(request.instanceId());
            if (member == null) {
                throw new UnknownMemberIdException("Instance id " + request.instanceId() + " is unknown.");
            }
            if (!member.memberId().equals(memberId)) {
                throw new FencedInstanceIdException("Static member " + memberId + " with instance id "
                        + request.instanceId() + " was fenced by member " + member.memberId() + ".");
            }
            if (request.memberEpoch() == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                return staticMemberLeave(group, member);
            }
            LOG.info("[GroupId {}] Static member {} with instance id {} left the consumer group.",
                    group.groupId(), memberId, request.instanceId());
        }
        fence(group, member);
        return new ConsumerGroupHeartbeatResponseData().setMemberId(memberId).setMemberEpoch(request.memberEpoch());
    }

    /**
     * LeaveGroup sent to a consumer group, as Kafka 4.3 answers it: the named members (by member id,
     * or by instance id alone for the admin client's {@code removeMembersFromConsumerGroup}) are
     * removed, with one group epoch bump for all of them.
     */
    public LeaveGroupResponseData leaveGroup(String groupId, List<LeaveGroupRequestData.MemberIdentity> leaving) {
        ConsumerGroup group = existingGroup(groupId);
        List<LeaveGroupResponseData.MemberResponse> responses = new ArrayList<>();
        Map<String, ConsumerGroupMember> removed = new LinkedHashMap<>();
        for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
            String memberId = identity.memberId();
            ConsumerGroupMember member = identity.groupInstanceId() == null
                    ? group.member(memberId) : group.staticMember(identity.groupInstanceId());
            Errors error = Errors.NONE;
            if (member == null) {
                error = Errors.UNKNOWN_MEMBER_ID;
            } else if (identity.groupInstanceId() != null && memberId != null && !memberId.isEmpty() && !member.memberId().equals(memberId)) {
                error = Errors.FENCED_INSTANCE_ID;
            } else {
                removed.put(member.memberId(), member);
                LOG.info("[GroupId {}] Member {} left the consumer group through LeaveGroup (reason: {}).", groupId, member.memberId(),
                        identity.reason() == null ? "not provided" : identity.reason());
            }
            responses.add(new LeaveGroupResponseData.MemberResponse().setMemberId(memberId)
                    .setGroupInstanceId(identity.groupInstanceId()).setErrorCode(error.code()));
        }
        if (canDowngradeWithout(group, removed.keySet())) {
            downgrade(group, removed.keySet());
        } else if (!removed.isEmpty()) {
            List<GroupRecord> records = new ArrayList<>();
            removed.keySet().forEach(memberId -> records.addAll(memberTombstones(groupId, memberId)));
            records.add(ConsumerGroupRecords.groupEpoch(groupId, group.groupEpoch() + 1));
            apply(groupId, records);
            removed.keySet().forEach(memberId -> cancelTimers(groupId, memberId));
        }
        return new LeaveGroupResponseData().setMembers(responses);
    }

    /** Epoch -2: the static member keeps its partitions until it rejoins or its session expires. */
    private ConsumerGroupHeartbeatResponseData staticMemberLeave(ConsumerGroup group, ConsumerGroupMember member) {
        GroupRecordValue.CurrentAssignment old = member.assignment();
        ConsumerGroupMember leaving = member.withAssignment(new GroupRecordValue.CurrentAssignment(
                ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH, old.previousMemberEpoch(), old.state(),
                old.assignedPartitions(), Assignments.EMPTY));
        apply(group.groupId(), List.of(ConsumerGroupRecords.currentAssignment(group.groupId(), leaving)));
        LOG.info("[GroupId {}] Static member {} with instance id {} temporarily left the consumer group.",
                group.groupId(), member.memberId(), member.instanceId());
        return new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId())
                .setMemberEpoch(ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH);
    }

    /**
     * Removes the member and bumps the group epoch; the next heartbeat computes the new target. If it
     * was the last consumer-protocol member and the policy allows, the group becomes a classic group
     * of the remaining members instead (Kafka's {@code consumerGroupFenceMember}).
     */
    void fence(ConsumerGroup group, ConsumerGroupMember member) {
        if (canDowngradeWithout(group, Set.of(member.memberId()))) {
            downgrade(group, Set.of(member.memberId()));
            return;
        }
        List<GroupRecord> records = new ArrayList<>(memberTombstones(group.groupId(), member.memberId()));
        records.add(ConsumerGroupRecords.groupEpoch(group.groupId(), group.groupEpoch() + 1));
        apply(group.groupId(), records);
        cancelTimers(group.groupId(), member.memberId());
    }

    /**
     * Kafka's {@code validateOnlineDowngradeWithFencedMembers}: the leaving members include a
     * consumer-protocol member, every other member speaks the classic protocol, some remain, and the
     * policy and group.max.size allow it.
     */
    private boolean canDowngradeWithout(ConsumerGroup group, Set<String> leavingMemberIds) {
        boolean consumerMemberLeaves = false;
        int remaining = 0;
        for (ConsumerGroupMember member : group.members().values()) {
            if (leavingMemberIds.contains(member.memberId())) {
                consumerMemberLeaves |= !member.useClassicProtocol();
            } else if (!member.useClassicProtocol()) {
                return false;
            } else {
                remaining++;
            }
        }
        if (!consumerMemberLeaves || remaining == 0) {
            return false;
        }
        if (!config.consumerMigrationPolicy().isDowngradeEnabled()) {
            LOG.info("Cannot downgrade consumer group {} to classic group because the online downgrade is disabled.", group.groupId());
            return false;
        }
        if (remaining > config.classicMaxSize()) {
            LOG.info("Cannot downgrade consumer group {} to classic group because its group size is greater than classic "
                    + "group max size.", group.groupId());
            return false;
        }
        return true;
    }

    /**
     * Downgrades the group if only classic members are left in it and the policy and group.max.size
     * allow (Kafka's {@code validateOnlineDowngradeWithReplacedMemberId}).
     */
    void maybeDowngradeClassicOnlyGroup(String groupId) {
        if (!(groups.get(groupId) instanceof ConsumerGroup group) || group.isEmpty()
                || !group.members().values().stream().allMatch(ConsumerGroupMember::useClassicProtocol)
                || !config.consumerMigrationPolicy().isDowngradeEnabled() || group.members().size() > config.classicMaxSize()) {
            return;
        }
        downgrade(group, Set.of());
    }

    /**
     * Kafka's {@code convertToClassicGroup}: the consumer group's records are deleted and a classic
     * group of the remaining (classic) members is written, Stable at the group epoch with their
     * target assignments; it then rebalances so the members rejoin it.
     */
    private void downgrade(ConsumerGroup group, Set<String> leavingMemberIds) {
        String groupId = group.groupId();
        List<ClassicGroupBridge.ClassicMemberSnapshot> members = new ArrayList<>();
        Map<String, List<TopicPartition>> assignments = new LinkedHashMap<>();
        for (ConsumerGroupMember member : group.members().values()) {
            if (!leavingMemberIds.contains(member.memberId())) {
                members.add(new ClassicGroupBridge.ClassicMemberSnapshot(member.memberId(), member.instanceId(),
                        member.metadata().clientId(), member.metadata().clientHost(), member.rebalanceTimeoutMs(),
                        member.classicMetadata().sessionTimeoutMs(), member.classicMetadata().supportedProtocols()));
                assignments.put(member.memberId(), EmbeddedConsumerProtocol.topicPartitions(
                        group.targetAssignment().getOrDefault(member.memberId(), Assignments.EMPTY), topics));
            }
        }
        ClassicGroupBridge.PreparedClassicGroup classic = classicGroups.prepare(groupId, group.groupEpoch(), members, assignments);
        List<GroupRecord> records = new ArrayList<>(group.tombstones());
        records.add(classic.record());
        // Replaying the tombstones empties the group's member map: take the ids whose timers to cancel first.
        List<String> memberIds = List.copyOf(group.members().keySet());
        apply(groupId, records);
        memberIds.forEach(memberId -> cancelTimers(groupId, memberId));
        classic.install();
        LOG.info("[GroupId {}] Downgraded the consumer group to a classic group after member(s) {} left.", groupId, leavingMemberIds);
    }

    /** Kafka's {@code removeMember}: the order matters for replay. */
    private static List<GroupRecord> memberTombstones(String groupId, String memberId) {
        return List.of(ConsumerGroupRecords.currentAssignmentTombstone(groupId, memberId),
                ConsumerGroupRecords.targetMemberTombstone(groupId, memberId),
                ConsumerGroupRecords.memberTombstone(groupId, memberId));
    }

    private ConsumerGroup existingGroup(String groupId) {
        Group group = groups.get(groupId);
        if (group == null) {
            throw new GroupIdNotFoundException(String.format("Group %s not found.", groupId));
        }
        if (!(group instanceof ConsumerGroup consumerGroup)) {
            throw new GroupIdNotFoundException(String.format("Group %s is not a consumer group.", groupId));
        }
        return consumerGroup;
    }

    // ---------------------------------------------------------------- timers

    /** The scheduler key of a member's session timeout. */
    public static String sessionTimeoutKey(String groupId, String memberId) {
        return "consumer-session/" + groupId + "/" + memberId;
    }

    /** The scheduler key of a member's rebalance (revocation) timeout. */
    public static String rebalanceTimeoutKey(String groupId, String memberId) {
        return "consumer-rebalance/" + groupId + "/" + memberId;
    }

    private static String topicRefreshKey(String groupId) {
        return "consumer-topics/" + groupId;
    }

    /** Starts (again) the member's session timeout: the group's, or a classic member's own. */
    void scheduleSessionTimeout(String groupId, ConsumerGroupMember member) {
        String memberId = member.memberId();
        int timeoutMs = member.useClassicProtocol() ? member.classicMetadata().sessionTimeoutMs() : config.consumerSessionTimeoutMs();
        scheduler.schedule(sessionTimeoutKey(groupId, memberId), timeoutMs,
                () -> fenceOnTimeout(groupId, memberId, -1, "the member session expired"));
    }

    /** The scheduler key of the deadline for a classic member to rejoin after being told to. */
    static String joinTimeoutKey(String groupId, String memberId) {
        return "consumer-classic-join/" + groupId + "/" + memberId;
    }

    /** The scheduler key of the deadline for a classic member to send SyncGroup after its JoinGroup. */
    static String syncTimeoutKey(String groupId, String memberId) {
        return "consumer-classic-sync/" + groupId + "/" + memberId;
    }

    /** Kafka's {@code scheduleConsumerGroupJoinTimeoutIfAbsent}: a classic member told to rejoin must, in time. */
    void scheduleJoinTimeoutIfAbsent(String groupId, ConsumerGroupMember member) {
        String key = joinTimeoutKey(groupId, member.memberId());
        if (!scheduler.isScheduled(key)) {
            scheduler.schedule(key, member.rebalanceTimeoutMs(), () -> fenceOnTimeout(groupId, member.memberId(), -1,
                    "it did not rejoin within its rebalance timeout of " + member.rebalanceTimeoutMs() + "ms"));
        }
    }

    /** Kafka's {@code scheduleConsumerGroupSyncTimeout}: a classic member that joined must send SyncGroup in time. */
    void scheduleSyncTimeout(String groupId, String memberId, int rebalanceTimeoutMs) {
        scheduler.schedule(syncTimeoutKey(groupId, memberId), rebalanceTimeoutMs, () -> fenceOnTimeout(groupId, memberId, -1,
                "it did not send SyncGroup within its rebalance timeout of " + rebalanceTimeoutMs + "ms"));
    }

    Scheduler scheduler() {
        return scheduler;
    }

    private void scheduleRebalanceTimeout(String groupId, String memberId, int memberEpoch, int rebalanceTimeoutMs) {
        scheduler.schedule(rebalanceTimeoutKey(groupId, memberId), rebalanceTimeoutMs,
                () -> fenceOnTimeout(groupId, memberId, memberEpoch,
                        "it failed to transition from epoch " + memberEpoch + " within " + rebalanceTimeoutMs + "ms"));
    }

    void cancelTimers(String groupId, String memberId) {
        scheduler.cancel(sessionTimeoutKey(groupId, memberId));
        scheduler.cancel(rebalanceTimeoutKey(groupId, memberId));
        scheduler.cancel(joinTimeoutKey(groupId, memberId));
        scheduler.cancel(syncTimeoutKey(groupId, memberId));
    }

    /** Fences the member if it still exists (and, for {@code memberEpoch >= 0}, is still at that epoch). */
    private void fenceOnTimeout(String groupId, String memberId, int memberEpoch, String reason) {
        Group found = groups.get(groupId);
        ConsumerGroupMember member = found instanceof ConsumerGroup group ? group.member(memberId) : null;
        if (member == null || (memberEpoch >= 0 && member.memberEpoch() != memberEpoch)) {
            return;
        }
        ConsumerGroup group = (ConsumerGroup) found;
        try {
            fence(group, member);
            LOG.info("[GroupId {}] Member {} fenced from the group because {}.", groupId, memberId, reason);
        } catch (CoordinatorWriteException e) {
            LOG.warn("[GroupId {}] Could not fence member {} ({}); retrying.", groupId, memberId, reason, e);
            String key = memberEpoch >= 0 ? rebalanceTimeoutKey(groupId, memberId) : sessionTimeoutKey(groupId, memberId);
            scheduler.schedule(key, config.consumerHeartbeatIntervalMs(),
                    () -> fenceOnTimeout(groupId, memberId, memberEpoch, reason));
        }
    }

    // ---------------------------------------------------------------- load, replay, topics

    /**
     * Applies one record, at load or after a write: the consumer-group key kinds update or (tombstone)
     * delete what they name; other kinds are ignored.
     */
    public void replay(GroupRecord record) {
        replayer.replay(record);
    }

    /** {@link #onLoaded(Predicate)} for every consumer group: the single-node load is complete. */
    public void onLoaded() {
        onLoaded(groupId -> true);
    }

    /**
     * Called once the records of the groups named by {@code groupIds} are replayed: starts every
     * member's session timeout (and rebalance timeout while it revokes), and reassigns those groups
     * whose topics changed while unloaded.
     */
    public void onLoaded(Predicate<String> groupIds) {
        for (ConsumerGroup group : consumerGroups(groupIds)) {
            for (ConsumerGroupMember member : group.members().values()) {
                scheduleSessionTimeout(group.groupId(), member);
                if (member.state() == MemberState.UNREVOKED_PARTITIONS) {
                    scheduleRebalanceTimeout(group.groupId(), member.memberId(), member.memberEpoch(),
                            member.rebalanceTimeoutMs());
                }
            }
        }
        onTopicsChanged(groupIds);
    }

    /**
     * Kafka's {@code unloadGroup}, for the consumer groups named by {@code groupIds} (those of a
     * partition the coordinator no longer owns): their timers are cancelled and they are dropped,
     * nothing written. No request of theirs is parked: every consumer-group answer is immediate.
     */
    public void unloadGroups(Predicate<String> groupIds) {
        for (ConsumerGroup group : consumerGroups(groupIds)) {
            String groupId = group.groupId();
            group.members().keySet().forEach(memberId -> cancelTimers(groupId, memberId));
            scheduler.cancel(topicRefreshKey(groupId));
            groups.remove(groupId);
        }
    }

    /** {@link #onTopicsChanged(Predicate)} for every consumer group. */
    public void onTopicsChanged() {
        onTopicsChanged(groupId -> true);
    }

    /**
     * Called when topics were created or deleted or gained partitions: every group named by
     * {@code groupIds} whose target assignment no longer covers exactly the partitions its members
     * subscribe to bumps its epoch, so the next heartbeat computes a new target.
     */
    public void onTopicsChanged(Predicate<String> groupIds) {
        for (ConsumerGroup group : consumerGroups(groupIds)) {
            bumpIfTopicsChanged(group.groupId());
        }
    }

    private void bumpIfTopicsChanged(String groupId) {
        Group found = groups.get(groupId);
        if (!(found instanceof ConsumerGroup group) || !targetIsStale(group)) {
            return;
        }
        try {
            apply(groupId, List.of(ConsumerGroupRecords.groupEpoch(groupId, group.groupEpoch() + 1)));
            LOG.info("[GroupId {}] Bumped group epoch to {} because subscribed topics changed.", groupId, group.groupEpoch());
        } catch (CoordinatorWriteException e) {
            LOG.warn("[GroupId {}] Could not bump the group epoch after a topic change; retrying.", groupId, e);
            scheduler.schedule(topicRefreshKey(groupId), config.consumerHeartbeatIntervalMs(),
                    () -> bumpIfTopicsChanged(groupId));
        }
    }

    /**
     * Whether a settled target assignment (assignment epoch = group epoch) misses or names partitions
     * other than those of the subscribed topics as they exist now. The assignors give every partition
     * of a subscribed topic to exactly one member, so this detects any topic change without keeping
     * the topic metadata Kafka persists in ConsumerGroupPartitionMetadata records.
     */
    private boolean targetIsStale(ConsumerGroup group) {
        if (group.isEmpty() || group.groupEpoch() > group.assignmentEpoch()) {
            return false;
        }
        Map<Uuid, TopicCatalog.TopicInfo> subscribed = subscriptions.subscribedTopics(group.members().values());
        long expected = 0;
        for (TopicCatalog.TopicInfo topic : subscribed.values()) {
            expected += topic.partitions();
        }
        long actual = 0;
        for (Map<Uuid, Set<Integer>> target : group.targetAssignment().values()) {
            for (Map.Entry<Uuid, Set<Integer>> entry : target.entrySet()) {
                TopicCatalog.TopicInfo topic = subscribed.get(entry.getKey());
                if (topic == null) {
                    return true;
                }
                for (int partition : entry.getValue()) {
                    if (partition >= topic.partitions()) {
                        return true;
                    }
                }
                actual += entry.getValue().size();
            }
        }
        return actual != expected;
    }

    private List<ConsumerGroup> consumerGroups(Predicate<String> groupIds) {
        List<ConsumerGroup> result = new ArrayList<>();
        for (Group group : groups.all()) {
            if (group instanceof ConsumerGroup consumerGroup && groupIds.test(group.groupId())) {
                result.add(consumerGroup);
            }
        }
        return result;
    }

    /** Writes the records and, once they are in the log, applies them; a failed write changes nothing. */
    void apply(String groupId, List<GroupRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        writer.write(groupId, records);
        for (GroupRecord record : records) {
            replay(record);
        }
    }

    // ---------------------------------------------------------------- describe

    /**
     * One group of a ConsumerGroupDescribe (v0-1) answer; GROUP_ID_NOT_FOUND with Kafka's message for
     * an unknown group or one of the other protocol.
     */
    public ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        try {
            return existingGroup(groupId).asDescribedGroup(config.consumerAssignors(), topics);
        } catch (GroupIdNotFoundException e) {
            return new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(groupId)
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage(e.getMessage());
        }
    }

    private static ConsumerGroupHeartbeatResponseData errorResponse(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
