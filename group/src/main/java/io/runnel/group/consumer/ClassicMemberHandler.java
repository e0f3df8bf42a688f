package io.runnel.group.consumer;

import io.runnel.group.runtime.WriteErrors;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.TopicCatalog;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.coordinator.runtime.CoordinatorWriteException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic-protocol members of a consumer group, as Kafka serves them after an online upgrade
 * ({@code classicGroupJoinToConsumerGroup}, {@code classicGroupSyncToConsumerGroup},
 * {@code classicGroupHeartbeatToConsumerGroup}). Such a member is a consumer group member whose
 * subscription comes from its JoinGroup metadata; the server-side assignor computes its target, and
 * each JoinGroup is one reconciliation step (the partitions it still owns are those its subscription
 * lists). It is never the leader: SyncGroup hands it its assignment. A Heartbeat answers
 * REBALANCE_IN_PROGRESS whenever it has something to catch up on, so it rejoins. Confined to the
 * coordinator thread.
 */
final class ClassicMemberHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicMemberHandler.class);

    private final ConsumerGroupManager manager;
    private final TopicCatalog topics;

    ClassicMemberHandler(ConsumerGroupManager manager, TopicCatalog topics) {
        this.manager = manager;
        this.topics = topics;
    }

    /** JoinGroup of a classic member to the non-empty consumer group {@code group}; errors are answered, not thrown. */
    JoinGroupResponseData join(ConsumerGroup group, GroupRequestContext context, JoinGroupRequestData request) {
        String memberId = request.memberId() == null || request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
        try {
            return joinOrThrow(group, context, request, memberId);
        } catch (ApiException e) {
            return new JoinGroupResponseData().setMemberId(request.memberId()).setErrorCode(Errors.forException(e).code())
                    .setProtocolName(null);
        } catch (CoordinatorWriteException e) {
            return new JoinGroupResponseData().setMemberId(request.memberId()).setErrorCode(WriteErrors.map(e).code())
                    .setProtocolName(null);
        }
    }

    private JoinGroupResponseData joinOrThrow(ConsumerGroup group, GroupRequestContext context, JoinGroupRequestData request,
                                              String memberId) {
        String groupId = group.groupId();
        boolean unknownMember = request.memberId() == null || request.memberId().isEmpty();
        manager.throwIfGroupIsFull(group, memberId);
        List<String> names = new ArrayList<>();
        request.protocols().forEach(protocol -> names.add(protocol.name()));
        if (!group.supportsClassicProtocols(request.protocolType(), names)) {
            throw new InconsistentGroupProtocolException("Member " + memberId + "'s protocols are not supported.");
        }
        if (unknownMember && request.groupInstanceId() == null && JoinGroupRequest.requiresKnownMemberId(context.apiVersion())) {
            LOG.info("[GroupId {}] Dynamic member with unknown member id joins the consumer group. Created a new member id {} "
                    + "and requesting the member to rejoin with this id.", groupId, memberId);
            return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(Errors.MEMBER_ID_REQUIRED.code())
                    .setProtocolName(null);
        }
        List<GroupRecord> records = new ArrayList<>();
        ConsumerGroupManager.Joining joined = member(group, memberId, request.groupInstanceId(), unknownMember, records);
        List<GroupRecordValue.ClassicProtocol> protocols = new ArrayList<>();
        request.protocols().forEach(protocol -> protocols.add(new GroupRecordValue.ClassicProtocol(protocol.name(), protocol.metadata())));
        ConsumerPartitionAssignor.Subscription subscription = EmbeddedConsumerProtocol.subscription(protocols.get(0).metadata());
        int rebalanceTimeoutMs = context.apiVersion() == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();

        ConsumerGroupMember member = joined.member();
        GroupRecordValue.ConsumerGroupMember old = member.metadata();
        ConsumerGroupMember updated = member.withMetadata(new GroupRecordValue.ConsumerGroupMember(
                request.groupInstanceId(), subscription.rackId().orElse(old.rackId()),
                context.clientId() != null ? context.clientId() : "", context.clientHost() != null ? context.clientHost() : "",
                subscription.topics(), null, rebalanceTimeoutMs, null,
                new GroupRecordValue.ClassicMemberMetadata(request.sessionTimeoutMs(), protocols)));
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned =
                EmbeddedConsumerProtocol.owned(subscription.ownedPartitions(), topics);
        ConsumerGroupMember reconciled = manager.updateAndReconcile(group, joined, updated, owned, records);

        manager.apply(groupId, records);
        if (joined.replacedMemberId() != null && !joined.replacedMemberId().equals(memberId)) {
            manager.cancelTimers(groupId, joined.replacedMemberId());
        }
        // The member's timers first: if the downgrade below fails to be written, the joined member
        // still expires when its client goes away. A downgrade cancels them with the group's.
        manager.scheduler().cancel(ConsumerGroupManager.joinTimeoutKey(groupId, memberId));
        manager.scheduleSessionTimeout(groupId, reconciled);
        manager.scheduleSyncTimeout(groupId, memberId, rebalanceTimeoutMs);
        manager.scheduleOrCancelRebalanceTimeout(groupId, updated, reconciled);
        // Kafka's step 4: a classic static member that took the place of the last consumer-protocol
        // member leaves a group of classic members, which becomes a classic group (it then rebalances).
        if (joined.replacedMemberId() != null && !member.useClassicProtocol()) {
            manager.maybeDowngradeClassicOnlyGroup(groupId);
        }
        return new JoinGroupResponseData()
                .setMemberId(memberId)
                .setGenerationId(reconciled.memberEpoch())
                .setProtocolType(ConsumerGroup.PROTOCOL_TYPE)
                .setProtocolName(protocols.get(0).name());
    }

    /**
     * The member a JoinGroup names: a dynamic member is found or created; a static member with no
     * member id takes over its instance id's place (a restart), one with an id must own the instance.
     */
    private ConsumerGroupManager.Joining member(ConsumerGroup group, String memberId, String instanceId, boolean unknownMember,
                                                List<GroupRecord> records) {
        ConsumerGroupMember existing = instanceId == null ? null : group.staticMember(instanceId);
        if (existing == null) {
            ConsumerGroupMember member = group.member(memberId);
            return new ConsumerGroupManager.Joining(member != null ? member : ConsumerGroupMember.newMember(memberId));
        }
        if (unknownMember) {
            return ConsumerGroupManager.replaceStaticMember(group, existing, memberId, records);
        }
        if (!existing.memberId().equals(memberId)) {
            throw new FencedInstanceIdException("Static member " + memberId + " with instance id " + instanceId
                    + " was fenced by member " + existing.memberId() + ".");
        }
        return new ConsumerGroupManager.Joining(existing);
    }

    /** SyncGroup of a classic member: its current assignment, in the version of its subscription. */
    SyncGroupResponseData sync(ConsumerGroup group, SyncGroupRequestData request) {
        try {
            ConsumerGroupMember member = classicMember(group, request.memberId(), request.groupInstanceId());
            throwIfGenerationIdUnmatched(member, request.generationId());
            String protocolName = member.classicMetadata().supportedProtocols().get(0).name();
            if ((request.protocolType() != null && !ConsumerGroup.PROTOCOL_TYPE.equals(request.protocolType()))
                    || (request.protocolName() != null && !protocolName.equals(request.protocolName()))) {
                throw new InconsistentGroupProtocolException("The protocol type or name from member " + member.memberId()
                        + " is not the one returned in the join response.");
            }
            if (group.groupEpoch() > member.memberEpoch() && member.state() != MemberState.UNREVOKED_PARTITIONS) {
                // A new rebalance started after its JoinGroup; a member still revoking finishes that first.
                manager.scheduleJoinTimeoutIfAbsent(group.groupId(), member);
                throw new RebalanceInProgressException("A new rebalance is triggered in group " + group.groupId()
                        + " and member " + member.memberId() + " should rejoin to catch up.");
            }
            manager.scheduler().cancel(ConsumerGroupManager.syncTimeoutKey(group.groupId(), member.memberId()));
            manager.scheduleSessionTimeout(group.groupId(), member);
            return new SyncGroupResponseData()
                    .setProtocolType(request.protocolType())
                    .setProtocolName(request.protocolName())
                    .setAssignment(EmbeddedConsumerProtocol.serialize(member.assignedPartitions(),
                            member.classicMetadata().supportedProtocols().get(0).metadata(), topics));
        } catch (ApiException e) {
            return new SyncGroupResponseData().setErrorCode(Errors.forException(e).code());
        }
    }

    /**
     * Heartbeat of a classic member: restarts its session, and answers REBALANCE_IN_PROGRESS when the
     * group moved past its epoch, it must revoke partitions, or partitions it waits for are now free.
     */
    HeartbeatResponseData heartbeat(ConsumerGroup group, HeartbeatRequestData request) {
        try {
            ConsumerGroupMember member = classicMember(group, request.memberId(), request.groupInstanceId());
            throwIfGenerationIdUnmatched(member, request.generationId());
            manager.scheduleSessionTimeout(group.groupId(), member);
            if (member.memberEpoch() < group.groupEpoch()
                    || member.state() == MemberState.UNREVOKED_PARTITIONS
                    || (member.state() == MemberState.UNRELEASED_PARTITIONS && !group.waitingOnUnreleasedPartition(member))) {
                manager.scheduleJoinTimeoutIfAbsent(group.groupId(), member);
                return new HeartbeatResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code());
            }
            return new HeartbeatResponseData();
        } catch (ApiException e) {
            return new HeartbeatResponseData().setErrorCode(Errors.forException(e).code());
        }
    }

    /** Kafka's {@code validateConsumerGroupMember} and {@code throwIfMemberDoesNotUseClassicProtocol}. */
    private static ConsumerGroupMember classicMember(ConsumerGroup group, String memberId, String instanceId) {
        ConsumerGroupMember member;
        if (instanceId == null) {
            member = group.member(memberId);
            if (member == null) {
                throw new UnknownMemberIdException("Member " + memberId + " is not a member of group " + group.groupId() + ".");
            }
        } else {
            member = group.staticMember(instanceId);
            if (member == null) {
                throw new UnknownMemberIdException("Member with instance id " + instanceId + " is not a member of group "
                        + group.groupId() + ".");
            }
            if (!member.memberId().equals(memberId)) {
                throw new FencedInstanceIdException("Static member " + memberId + " with instance id " + instanceId
                        + " was fenced by member " + member.memberId() + ".");
            }
        }
        if (!member.useClassicProtocol()) {
            throw new UnknownMemberIdException("Member " + member.memberId() + " does not use the classic protocol.");
        }
        return member;
    }

    private static void throwIfGenerationIdUnmatched(ConsumerGroupMember member, int generationId) {
        if (member.memberEpoch() != generationId) {
            throw new IllegalGenerationException("The request generation id " + generationId
                    + " is not equal to the member epoch " + member.memberEpoch() + " of member " + member.memberId() + ".");
        }
    }
}
