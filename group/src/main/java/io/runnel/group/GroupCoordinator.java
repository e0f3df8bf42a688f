package io.runnel.group;

import io.runnel.coordinator.runtime.CoordinatorShard;
import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.PartitionOwnership;
import io.runnel.coordinator.runtime.Scheduler;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.classic.ClassicGroupManager;
import io.runnel.group.consumer.ConsumerGroup;
import io.runnel.group.consumer.ConsumerGroupManager;
import io.runnel.group.offset.OffsetManager;
import io.runnel.group.offset.OffsetResponses;
import io.runnel.group.offset.OffsetStore;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordSerde;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.GroupRecordWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
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
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator: one entry point per group API, routing to the classic groups, the consumer
 * (KIP-848) groups and the offsets, plus the group-wide operations (list, describe, delete) and the
 * replay of {@code __consumer_offsets} at load. Not thread-safe: confined to the coordinator thread
 * (see {@link io.runnel.coordinator.runtime.CoordinatorEventLoop}).
 *
 * <p>It serves only the groups of the {@code __consumer_offsets} partitions it owns. A single-node
 * coordinator owns every partition; it replays the whole topic, then calls {@link #onLoaded}. A
 * cluster coordinator owns a partition only while the broker leads it: {@link #beginLoading},
 * {@link #replay} of the partition's records, {@link #completeLoading} when it becomes leader, and
 * {@link #unloadPartition} when it stops being leader. Every group API first answers NOT_COORDINATOR
 * for a group of a partition not owned and COORDINATOR_LOAD_IN_PROGRESS while it loads.
 */
public final class GroupCoordinator implements CoordinatorShard {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupRegistry groups = new GroupRegistry();
    private final GroupConfig config;
    private final GroupRecordWriter writer;
    private final ClassicGroupManager classic;
    private final ConsumerGroupManager consumer;
    private final OffsetManager offsets;
    private final PartitionOwnership ownership;

    /**
     * A single-node coordinator: it owns every partition from the start, with no groups yet;
     * {@link #replay} then {@link #onLoaded} bring back the stored ones.
     */
    public GroupCoordinator(GroupConfig config, Scheduler scheduler, GroupRecordWriter writer, TopicCatalog topics) {
        this(config, scheduler, writer, topics, PartitionOwnership.all(config.offsetsTopicNumPartitions()));
    }

    /**
     * A cluster coordinator: it owns no partition until {@link #completeLoading} of it.
     *
     * @param offsetsTopicPartitionCount the real partition count of {@code __consumer_offsets}, which
     *                                   differs from offsets.topic.num.partitions if the topic existed
     *                                   before the setting changed
     */
    public GroupCoordinator(GroupConfig config, Scheduler scheduler, GroupRecordWriter writer, TopicCatalog topics,
                            int offsetsTopicPartitionCount) {
        this(config, scheduler, writer, topics, PartitionOwnership.loadedOnly(offsetsTopicPartitionCount));
    }

    private GroupCoordinator(GroupConfig config, Scheduler scheduler, GroupRecordWriter writer, TopicCatalog topics,
                             PartitionOwnership ownership) {
        this.config = config;
        this.writer = writer;
        this.ownership = ownership;
        this.classic = new ClassicGroupManager(groups, scheduler, writer, config);
        this.consumer = new ConsumerGroupManager(groups, scheduler, writer, config, topics, classic.migration());
        this.offsets = new OffsetManager(groups, new OffsetStore(), writer, scheduler, config, topics, classic::getOrCreateEmptyGroup,
                ownership::owns);
    }

    // --- classic protocol ---

    /** JoinGroup: to a classic group, or as a classic-protocol member of a non-empty consumer group (as Kafka). */
    public void joinGroup(GroupRequestContext ctx, JoinGroupRequestData request, CompletableFuture<JoinGroupResponseData> response) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            response.complete(joinError(request, notServed));
            return;
        }
        if (groups.get(request.groupId()) instanceof ConsumerGroup group && !group.isEmpty()) {
            Errors invalid = classic.validateJoin(request);
            response.complete(invalid != Errors.NONE ? joinError(request, invalid) : consumer.classicJoin(ctx, request));
            return;
        }
        classic.joinGroup(ctx, request, response);
    }

    private static JoinGroupResponseData joinError(JoinGroupRequestData request, Errors error) {
        return new JoinGroupResponseData().setMemberId(request.memberId()).setErrorCode(error.code()).setProtocolName(null);
    }

    public void syncGroup(GroupRequestContext ctx, SyncGroupRequestData request, CompletableFuture<SyncGroupResponseData> response) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            response.complete(new SyncGroupResponseData().setErrorCode(notServed.code()));
            return;
        }
        if (groups.get(request.groupId()) instanceof ConsumerGroup group && !group.isEmpty()) {
            response.complete(consumer.classicSync(request));
            return;
        }
        classic.syncGroup(ctx, request, response);
    }

    public HeartbeatResponseData heartbeat(GroupRequestContext ctx, HeartbeatRequestData request) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            return new HeartbeatResponseData().setErrorCode(notServed.code());
        }
        if (groups.get(request.groupId()) instanceof ConsumerGroup) {
            return consumer.classicHeartbeat(request);
        }
        return classic.heartbeat(ctx, request);
    }

    public LeaveGroupResponseData leaveGroup(GroupRequestContext ctx, LeaveGroupRequestData request) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            return new LeaveGroupResponseData().setErrorCode(notServed.code());
        }
        if (groups.get(request.groupId()) instanceof ConsumerGroup) {
            return consumer.leaveGroup(request.groupId(), ctx.apiVersion() < 3
                    ? List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId())) : request.members());
        }
        return classic.leaveGroup(ctx, request);
    }

    // --- consumer protocol (KIP-848) ---

    public ConsumerGroupHeartbeatResponseData consumerGroupHeartbeat(GroupRequestContext ctx, ConsumerGroupHeartbeatRequestData request) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            return new ConsumerGroupHeartbeatResponseData().setErrorCode(notServed.code());
        }
        return consumer.heartbeat(ctx, request);
    }

    /** ConsumerGroupDescribe: one entry per group; a group not served has its error in its entry. */
    public List<ConsumerGroupDescribeResponseData.DescribedGroup> consumerGroupDescribe(List<String> groupIds) {
        List<ConsumerGroupDescribeResponseData.DescribedGroup> described = new ArrayList<>();
        for (String groupId : groupIds) {
            Errors notServed = ownership.check(groupId);
            described.add(notServed != Errors.NONE
                    ? new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId).setErrorCode(notServed.code())
                    : consumer.describe(groupId));
        }
        return described;
    }

    /**
     * Topics were created, deleted or grew: consumer groups reassign, deleted topics lose their
     * offsets; only in the groups the coordinator owns (a loading partition is looked at when it is loaded).
     */
    public void onTopicsChanged(Set<String> deletedTopics) {
        deletedTopics.forEach(offsets::onTopicDeleted);
        consumer.onTopicsChanged(ownership::owns);
    }

    // --- offsets ---

    public OffsetCommitResponseData offsetCommit(GroupRequestContext ctx, OffsetCommitRequestData request) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            return OffsetResponses.commitFailed(request, notServed);
        }
        return offsets.commit(ctx, request);
    }

    /**
     * TxnOffsetCommit: the offsets are written in the producer's transaction and stay pending until
     * {@link #completeTransaction} (or the replay of its marker) commits or aborts them.
     *
     * @param write the producer id and epoch of the request, and the guard of its verification
     */
    public TxnOffsetCommitResponseData txnOffsetCommit(GroupRequestContext ctx, TxnOffsetCommitRequestData request, TransactionalWrite write) {
        // As Kafka's service: an empty group id is refused before the coordinator is looked for.
        Errors groupError = request.groupId() == null || request.groupId().isEmpty() ? Errors.INVALID_GROUP_ID : ownership.check(request.groupId());
        return offsets.txnCommit(ctx, request, write, groupError);
    }

    /**
     * The transaction of {@code producerId} ended (WriteTxnMarkers for {@code partition} of
     * {@code __consumer_offsets}): writes its marker there, then commits or aborts the producer's
     * pending offsets in the partition's groups, as Kafka's coordinator runtime {@code completeTransaction}.
     *
     * @return NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS if the partition is not served,
     *         else the append's error (a stale producer epoch, TRANSACTION_COORDINATOR_FENCED,
     *         NOT_LEADER_OR_FOLLOWER, ...), nothing applied then
     */
    public Errors completeTransaction(int partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                                      short transactionVersion) {
        Errors notServed = ownership.checkPartition(partition);
        if (notServed != Errors.NONE) {
            return notServed;
        }
        try {
            writer.writeMarker(partition, producerId, producerEpoch, coordinatorEpoch, commit, transactionVersion);
        } catch (CoordinatorWriteException e) {
            log.warn("Could not write the {} marker of producer {} to partition {} of the offsets topic: {}", commit ? "COMMIT" : "ABORT",
                    producerId, partition, e.getMessage());
            return e.getCause() == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forException(e.getCause());
        }
        offsets.replayEndTransactionMarker(producerId, commit, groupId -> ownership.partitionOf(groupId) == partition);
        return Errors.NONE;
    }

    /**
     * OffsetFetch of one group (v8+ form); a group not served has its error in the group entry.
     *
     * @param requireStable the request's {@code RequireStable} (v7+): offsets pending in open
     *                      transactions are answered UNSTABLE_OFFSET_COMMIT
     */
    public OffsetFetchResponseData.OffsetFetchResponseGroup offsetFetch(GroupRequestContext ctx,
                                                                       OffsetFetchRequestData.OffsetFetchRequestGroup request,
                                                                       boolean requireStable) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            return new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(request.groupId()).setErrorCode(notServed.code());
        }
        return offsets.fetch(ctx, request, requireStable);
    }

    public OffsetDeleteResponseData offsetDelete(OffsetDeleteRequestData request) {
        Errors notServed = ownership.check(request.groupId());
        if (notServed != Errors.NONE) {
            return new OffsetDeleteResponseData().setErrorCode(notServed.code());
        }
        return offsets.delete(request);
    }

    // --- groups of either protocol ---

    /** ListGroups: every group of an owned partition, filtered by state names (case-insensitive) and types when given. */
    public ListGroupsResponseData listGroups(ListGroupsRequestData request) {
        Set<String> states = request.statesFilter().stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> types = request.typesFilter().stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        ListGroupsResponseData response = new ListGroupsResponseData();
        for (Group group : groups.all()) {
            if (ownership.owns(group.groupId())
                    && (states.isEmpty() || states.contains(group.stateName().toLowerCase(Locale.ROOT)))
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
            Errors notServed = ownership.check(groupId);
            if (notServed != Errors.NONE) {
                described.add(new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId).setErrorCode(notServed.code()));
            } else if (group != null && group.type() != GroupType.CLASSIC) {
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
        Errors notServed = ownership.check(groupId);
        if (notServed != Errors.NONE) {
            return notServed;
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
        } catch (CoordinatorWriteException e) {
            log.warn("Could not delete group {}: {}", groupId, e.getMessage());
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        records.forEach(this::apply);
        groups.remove(groupId);
        log.info("Deleted group {}", groupId);
        return Errors.NONE;
    }

    // --- loading ---

    /**
     * Applies one record read back from {@code __consumer_offsets}. A cluster coordinator takes
     * records only of a partition between {@link #beginLoading} and {@link #completeLoading}; others
     * (of a partition unloaded meanwhile) are dropped.
     */
    public void replay(GroupRecord record) {
        replay(record, RecordBatch.NO_PRODUCER_ID);
    }

    private void replay(GroupRecord record, long producerId) {
        if (!ownership.acceptsReplay(record.groupId())) {
            log.debug("Dropping a record of group {}: its partition is not loading", record.groupId());
            return;
        }
        if (record.key() instanceof GroupRecordKey.Offset offset) {
            offsets.replay(offset, (GroupRecordValue.Offset) record.value(), producerId);
        } else {
            apply(record);
        }
    }

    /**
     * Cluster coordinator: one record of a loading partition, as stored. An offset of a transactional
     * batch ({@code producerId} not -1) is pending until the producer's marker is replayed.
     *
     * @throws RuntimeException if the record cannot be read or applied (the loader skips it)
     */
    @Override
    public void replay(int partition, long offset, long producerId, short producerEpoch, ByteBuffer key, ByteBuffer value) {
        GroupRecord record = GroupRecordSerde.deserialize(key, value);
        if (record != null) {
            replay(record, producerId);
        }
    }

    /**
     * Cluster coordinator: a transaction marker of a loading partition commits or aborts the producer's
     * pending offsets in the partition's groups, so they survive a restart or a move of the coordinator.
     */
    @Override
    public void replayMarker(int partition, long producerId, short producerEpoch, boolean commit) {
        if (!ownership.acceptsReplayOfPartition(partition)) {
            log.debug("Dropping a marker of partition {}: it is not loading", partition);
            return;
        }
        offsets.replayEndTransactionMarker(producerId, commit, groupId -> ownership.partitionOf(groupId) == partition);
    }

    private void apply(GroupRecord record) {
        GroupRecordKey key = record.key();
        if (key instanceof GroupRecordKey.Offset offset) {
            offsets.replay(offset, (GroupRecordValue.Offset) record.value());
        } else if (key instanceof GroupRecordKey.ClassicGroup classicKey) {
            classic.replay(classicKey, (GroupRecordValue.ClassicGroup) record.value());
        } else {
            consumer.replay(record);
        }
    }

    /**
     * Single-node coordinator: every stored record has been replayed; start the timers of the
     * loaded groups and the offset expiry.
     *
     * @throws IllegalStateException on a cluster coordinator, which loads partition by partition
     */
    public void onLoaded() {
        if (!ownership.ownsAll()) {
            throw new IllegalStateException("A cluster coordinator loads partition by partition: use completeLoading");
        }
        startLoadedGroups(groupId -> true);
        if (!groups.all().isEmpty()) {
            log.info("Loaded {} group(s)", groups.all().size());
        }
    }

    private void startLoadedGroups(Predicate<String> groupIds) {
        classic.onLoaded(groupIds);
        consumer.onLoaded(groupIds);
        offsets.scheduleExpiry();
    }

    /**
     * Cluster coordinator: the broker became leader of {@code partition} and is about to {@link #replay}
     * its records; until {@link #completeLoading} requests for its groups answer
     * COORDINATOR_LOAD_IN_PROGRESS. Whatever the coordinator held of the partition is dropped first,
     * so loading it again starts afresh.
     *
     * @param partitionCount the real partition count of {@code __consumer_offsets}, which groups are spread over
     * @throws IllegalStateException on a single-node coordinator
     * @throws IllegalArgumentException if the offsets topic has no such partition
     */
    @Override
    public void beginLoading(int partition, int partitionCount, int coordinatorEpoch) {
        if (ownership.state(partition) != null) {
            unloadPartition(partition);
        }
        ownership.beginLoading(partition, partitionCount, coordinatorEpoch);
    }

    /**
     * Cluster coordinator: every record of {@code partition} is replayed; its groups' timers start
     * (session timeouts, rebalances of groups over their max size, reassignment after topic changes)
     * and the coordinator serves them from now on.
     *
     * @return false (and nothing done) if the partition is not loading, e.g. it was unloaded meanwhile
     */
    @Override
    public boolean completeLoading(int partition) {
        if (!ownership.acceptsReplayOfPartition(partition)) {
            log.info("Partition {} of the offsets topic is not loading; not completing its load", partition);
            return false;
        }
        ownership.completeLoading(partition);
        Predicate<String> inPartition = groupId -> ownership.partitionOf(groupId) == partition;
        startLoadedGroups(inPartition);
        log.info("Loaded partition {} of the offsets topic: {} group(s)", partition,
                groups.all().stream().filter(group -> inPartition.test(group.groupId())).count());
        return true;
    }

    /**
     * Cluster coordinator: the broker is no longer leader of {@code partition} (Kafka's
     * {@code onResignation}): its groups and their committed offsets are dropped, nothing written,
     * their timers cancelled, requests parked in a rebalance answered NOT_COORDINATOR; later requests
     * for them answer NOT_COORDINATOR. Does nothing for a partition the coordinator does not hold.
     *
     * @throws IllegalStateException on a single-node coordinator
     */
    @Override
    public void unloadPartition(int partition) {
        if (ownership.ownsAll()) {
            throw new IllegalStateException("A single-node coordinator owns every partition; partition " + partition
                    + " cannot be unloaded");
        }
        if (ownership.state(partition) == null) {
            return;
        }
        Predicate<String> inPartition = groupId -> ownership.partitionOf(groupId) == partition;
        classic.unloadGroups(inPartition);
        consumer.unloadGroups(inPartition);
        offsets.unloadGroups(inPartition);
        ownership.release(partition);
        log.info("Unloaded partition {} of the offsets topic", partition);
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
