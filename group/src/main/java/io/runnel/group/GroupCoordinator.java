package io.runnel.group;

import io.runnel.group.classic.ClassicGroupManager;
import io.runnel.group.consumer.ConsumerGroup;
import io.runnel.group.consumer.ConsumerGroupManager;
import io.runnel.group.offset.OffsetManager;
import io.runnel.group.offset.OffsetStore;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.GroupRecordWriter;
import io.runnel.group.runtime.GroupWriteException;
import io.runnel.group.runtime.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator: one entry point per group API, routing to the classic groups, the consumer
 * (KIP-848) groups and the offsets, plus the group-wide operations (list, describe, delete) and the
 * replay of {@code __consumer_offsets} at load. Not thread-safe: confined to the coordinator thread
 * (see {@link io.runnel.group.runtime.CoordinatorEventLoop}).
 */
public final class GroupCoordinator {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupRegistry groups = new GroupRegistry();
    private final GroupConfig config;
    private final GroupRecordWriter writer;
    private final ClassicGroupManager classic;
    private final ConsumerGroupManager consumer;
    private final OffsetManager offsets;

    /** A coordinator with no groups yet; {@link #replay} then {@link #onLoaded} bring back the stored ones. */
    public GroupCoordinator(GroupConfig config, Scheduler scheduler, GroupRecordWriter writer, TopicCatalog topics) {
        this.config = config;
        this.writer = writer;
        this.classic = new ClassicGroupManager(groups, scheduler, writer, config);
        this.consumer = new ConsumerGroupManager(groups, scheduler, writer, config, topics, classic.migration());
        this.offsets = new OffsetManager(groups, new OffsetStore(), writer, scheduler, config, topics, classic::getOrCreateEmptyGroup);
    }

    /** The {@code __consumer_offsets} partition that holds {@code groupId}'s records, as Kafka computes it. */
    public static int partitionFor(String groupId, int offsetsTopicPartitions) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % offsetsTopicPartitions;
    }

    // --- classic protocol ---

    /** JoinGroup: to a classic group, or as a classic-protocol member of a non-empty consumer group (as Kafka). */
    public void joinGroup(GroupRequestContext ctx, JoinGroupRequestData request, CompletableFuture<JoinGroupResponseData> response) {
        if (groups.get(request.groupId()) instanceof ConsumerGroup group && !group.isEmpty()) {
            Errors invalid = classic.validateJoin(request);
            response.complete(invalid != Errors.NONE
                    ? new JoinGroupResponseData().setMemberId(request.memberId()).setErrorCode(invalid.code()).setProtocolName(null)
                    : consumer.classicJoin(ctx, request));
            return;
        }
        classic.joinGroup(ctx, request, response);
    }

    public void syncGroup(GroupRequestContext ctx, SyncGroupRequestData request, CompletableFuture<SyncGroupResponseData> response) {
        if (groups.get(request.groupId()) instanceof ConsumerGroup group && !group.isEmpty()) {
            response.complete(consumer.classicSync(request));
            return;
        }
        classic.syncGroup(ctx, request, response);
    }

    public HeartbeatResponseData heartbeat(GroupRequestContext ctx, HeartbeatRequestData request) {
        if (groups.get(request.groupId()) instanceof ConsumerGroup) {
            return consumer.classicHeartbeat(request);
        }
        return classic.heartbeat(ctx, request);
    }

    public LeaveGroupResponseData leaveGroup(GroupRequestContext ctx, LeaveGroupRequestData request) {
        if (groups.get(request.groupId()) instanceof ConsumerGroup) {
            return consumer.leaveGroup(request.groupId(), ctx.apiVersion() < 3
                    ? List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId())) : request.members());
        }
        return classic.leaveGroup(ctx, request);
    }

    // --- consumer protocol (KIP-848) ---

    public ConsumerGroupHeartbeatResponseData consumerGroupHeartbeat(GroupRequestContext ctx, ConsumerGroupHeartbeatRequestData request) {
        return consumer.heartbeat(ctx, request);
    }

    public List<ConsumerGroupDescribeResponseData.DescribedGroup> consumerGroupDescribe(List<String> groupIds) {
        return groupIds.stream().map(consumer::describe).collect(Collectors.toList());
    }

    /** Topics were created, deleted or grew: consumer groups reassign, deleted topics lose their offsets. */
    public void onTopicsChanged(Set<String> deletedTopics) {
        deletedTopics.forEach(offsets::onTopicDeleted);
        consumer.onTopicsChanged();
    }

    // --- offsets ---

    public OffsetCommitResponseData offsetCommit(GroupRequestContext ctx, OffsetCommitRequestData request) {
        return offsets.commit(ctx, request);
    }

    public OffsetFetchResponseData.OffsetFetchResponseGroup offsetFetch(GroupRequestContext ctx,
                                                                       OffsetFetchRequestData.OffsetFetchRequestGroup request) {
        return offsets.fetch(ctx, request);
    }

    public OffsetDeleteResponseData offsetDelete(OffsetDeleteRequestData request) {
        return offsets.delete(request);
    }

    // --- groups of either protocol ---

    /** ListGroups: every group, filtered by state names (case-insensitive) and types when given. */
    public ListGroupsResponseData listGroups(ListGroupsRequestData request) {
        Set<String> states = request.statesFilter().stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> types = request.typesFilter().stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        ListGroupsResponseData response = new ListGroupsResponseData();
        for (Group group : groups.all()) {
            if ((states.isEmpty() || states.contains(group.stateName().toLowerCase(Locale.ROOT)))
                    && (types.isEmpty() || types.contains(group.type().wireName()))) {
                response.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(group.groupId())
                        .setProtocolType(group.protocolType()).setGroupState(group.stateName()).setGroupType(group.type().wireName()));
            }
        }
        return response;
    }

    /** DescribeGroups: classic groups; a consumer group is "not found" to this API, as in Kafka. */
    public List<DescribeGroupsResponseData.DescribedGroup> describeGroups(List<String> groupIds, short apiVersion) {
        List<DescribeGroupsResponseData.DescribedGroup> described = new ArrayList<>();
        for (String groupId : groupIds) {
            Group group = groups.get(groupId);
            if (group != null && group.type() != GroupType.CLASSIC) {
                DescribeGroupsResponseData.DescribedGroup dead = new DescribeGroupsResponseData.DescribedGroup()
                        .setGroupId(groupId).setGroupState("Dead");
                if (apiVersion >= 6) {
                    dead.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + groupId + " is not a classic group.");
                }
                described.add(dead);
            } else {
                described.add(classic.describe(groupId, apiVersion));
            }
        }
        return described;
    }

    /** DeleteGroups: an empty group and its offsets go; a group with members is refused. */
    public DeleteGroupsResponseData.DeletableGroupResultCollection deleteGroups(List<String> groupIds) {
        DeleteGroupsResponseData.DeletableGroupResultCollection results = new DeleteGroupsResponseData.DeletableGroupResultCollection();
        for (String groupId : groupIds) {
            results.add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId).setErrorCode(deleteGroup(groupId).code()));
        }
        return results;
    }

    private Errors deleteGroup(String groupId) {
        // The empty group id is a group like any other here, as in Kafka (old clients committed under it).
        if (groupId == null) {
            return Errors.INVALID_GROUP_ID;
        }
        Group group = groups.get(groupId);
        if (group == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        if (!group.isEmpty()) {
            return Errors.NON_EMPTY_GROUP;
        }
        List<GroupRecord> records = new ArrayList<>(offsets.tombstones(groupId));
        records.addAll(group.tombstones());
        try {
            writer.write(groupId, records);
        } catch (GroupWriteException e) {
            log.warn("Could not delete group {}: {}", groupId, e.getMessage());
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        records.forEach(this::replay);
        groups.remove(groupId);
        log.info("Deleted group {}", groupId);
        return Errors.NONE;
    }

    // --- loading ---

    /** Applies one record read back from {@code __consumer_offsets}. */
    public void replay(GroupRecord record) {
        GroupRecordKey key = record.key();
        if (key instanceof GroupRecordKey.Offset offset) {
            offsets.replay(offset, (GroupRecordValue.Offset) record.value());
        } else if (key instanceof GroupRecordKey.ClassicGroup classicKey) {
            classic.replay(classicKey, (GroupRecordValue.ClassicGroup) record.value());
        } else {
            consumer.replay(record);
        }
    }

    /** Every stored record has been replayed: start the timers of the loaded groups and the offset expiry. */
    public void onLoaded() {
        classic.onLoaded();
        consumer.onLoaded();
        offsets.scheduleExpiry();
        if (!groups.all().isEmpty()) {
            log.info("Loaded {} group(s)", groups.all().size());
        }
    }

    /** The coordinator is stopping: parked requests are answered so no client waits for nothing. */
    public void unload() {
        classic.unload();
    }

    /** The group named {@code groupId}, of either protocol, or null. */
    public Group group(String groupId) {
        return groups.get(groupId);
    }

    /** The settings the coordinator runs with. */
    public GroupConfig config() {
        return config;
    }
}
