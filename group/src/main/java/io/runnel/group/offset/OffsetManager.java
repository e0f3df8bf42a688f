package io.runnel.group.offset;

import io.runnel.group.Group;
import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.TopicCatalog;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.GroupRecordWriter;
import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.Scheduler;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.group.runtime.WriteErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetCommit, OffsetFetch and OffsetDelete with Kafka's rules, and the expiry of old offsets.
 * A commit is answered only after its offset records are in {@code __consumer_offsets}. Confined to
 * the coordinator thread.
 */
public final class OffsetManager {

    private static final Logger log = LoggerFactory.getLogger(OffsetManager.class);
    private static final String EXPIRY_TASK = "offsets-expiry";
    /** OffsetCommit v2–v4's "use the broker's retention". */
    private static final long DEFAULT_RETENTION = -1;

    private final GroupRegistry groups;
    private final OffsetStore store;
    private final GroupRecordWriter writer;
    private final Scheduler scheduler;
    private final GroupConfig config;
    private final TopicCatalog topics;
    private final Function<String, Group> simpleGroups;
    private final Predicate<String> owned;
    private final PendingTransactionalOffsets pending = new PendingTransactionalOffsets();
    /** The place of the next offset applied in the log order; see {@link PendingTransactionalOffsets.Pending}. */
    private long nextReplayOrder;

    /**
     * An offset manager for a coordinator that owns every group.
     *
     * @param simpleGroups creates (or returns) the empty classic group Kafka keeps for a group that
     *                     only commits offsets
     */
    public OffsetManager(GroupRegistry groups, OffsetStore store, GroupRecordWriter writer, Scheduler scheduler, GroupConfig config,
                         TopicCatalog topics, Function<String, Group> simpleGroups) {
        this(groups, store, writer, scheduler, config, topics, simpleGroups, groupId -> true);
    }

    /**
     * @param simpleGroups creates (or returns) the empty classic group Kafka keeps for a group that
     *                     only commits offsets
     * @param owned        whether the coordinator serves a group now: expiry and topic deletion
     *                     leave the others (of a partition still loading) alone
     */
    public OffsetManager(GroupRegistry groups, OffsetStore store, GroupRecordWriter writer, Scheduler scheduler, GroupConfig config,
                         TopicCatalog topics, Function<String, Group> simpleGroups, Predicate<String> owned) {
        this.groups = groups;
        this.store = store;
        this.writer = writer;
        this.scheduler = scheduler;
        this.config = config;
        this.topics = topics;
        this.simpleGroups = simpleGroups;
        this.owned = owned;
    }

    /** Handles an OffsetCommit (v2 and later). */
    public OffsetCommitResponseData commit(GroupRequestContext ctx, OffsetCommitRequestData request) {
        Errors groupError = validateCommit(ctx, request);
        if (groupError != Errors.NONE) {
            return OffsetResponses.commitFailed(request, groupError);
        }
        long now = scheduler.nowMs();
        long expireTimestamp = request.retentionTimeMs() == DEFAULT_RETENTION ? -1 : now + request.retentionTimeMs();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        List<GroupRecord> records = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            TopicCatalog.TopicInfo info = resolve(topic.name(), topic.topicId());
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                    .setName(topic.name()).setTopicId(topic.topicId());
            response.topics().add(topicResponse);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                Errors error = checkPartition(info, topic.topicId(), partition);
                if (error == Errors.NONE) {
                    String metadata = partition.committedMetadata() == null ? "" : partition.committedMetadata();
                    records.add(GroupRecord.of(new GroupRecordKey.Offset(request.groupId(), info.name(), partition.partitionIndex()),
                            new GroupRecordValue.Offset(partition.committedOffset(), partition.committedLeaderEpoch(), metadata, now,
                                    expireTimestamp)));
                }
                topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
        }
        if (!append(request.groupId(), records)) {
            return OffsetResponses.commitFailed(request, Errors.COORDINATOR_NOT_AVAILABLE);
        }
        return response;
    }

    private Errors validateCommit(GroupRequestContext ctx, OffsetCommitRequestData request) {
        // The empty group id is accepted, for old clients, as Kafka does.
        if (request.groupId() == null) {
            return Errors.INVALID_GROUP_ID;
        }
        Group group = groups.get(request.groupId());
        if (group == null) {
            if (request.generationIdOrMemberEpoch() >= 0) {
                return ctx.apiVersion() >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
            }
            group = simpleGroups.apply(request.groupId());
        }
        Errors error = group.validateOffsetCommit(request.memberId(), request.groupInstanceId(), request.generationIdOrMemberEpoch(),
                false, ctx.apiVersion());
        // Only consumer groups answer STALE_MEMBER_EPOCH, which clients older than v9 do not know.
        return error == Errors.STALE_MEMBER_EPOCH && ctx.apiVersion() < 9 ? Errors.UNSUPPORTED_VERSION : error;
    }

    /**
     * Handles a TxnOffsetCommit: the offsets are written as a transactional batch of the request's
     * producer and stay pending, invisible to OffsetFetch, until the transaction's marker. As Kafka's
     * broker, partitions of unknown topics are answered UNKNOWN_TOPIC_OR_PARTITION before the group is
     * looked at, and a request with no other partition never reaches the group.
     *
     * @param groupError the error the group has before the coordinator looks at it (INVALID_GROUP_ID,
     *                   NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS), or NONE
     */
    public TxnOffsetCommitResponseData txnCommit(GroupRequestContext ctx, TxnOffsetCommitRequestData request, TransactionalWrite write,
                                                Errors groupError) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        TxnOffsetCommitRequestData known = OffsetResponses.withoutUnknownPartitions(request, topics, response);
        if (known.topics().isEmpty()) {
            return response;
        }
        Errors error = groupError != Errors.NONE ? groupError : validateTxnCommit(ctx, known);
        if (error != Errors.NONE) {
            return OffsetResponses.txnCommitFailed(known, error, response);
        }
        long now = scheduler.nowMs();
        List<GroupRecord> records = new ArrayList<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : known.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse = OffsetResponses.txnTopic(response, topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                String metadata = partition.committedMetadata() == null ? "" : partition.committedMetadata();
                boolean tooLarge = metadata.length() > config.offsetMetadataMaxBytes();
                if (!tooLarge) {
                    records.add(GroupRecord.of(new GroupRecordKey.Offset(known.groupId(), topic.name(), partition.partitionIndex()),
                            new GroupRecordValue.Offset(partition.committedOffset(), partition.committedLeaderEpoch(), metadata, now, -1)));
                }
                topicResponse.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(tooLarge ? Errors.OFFSET_METADATA_TOO_LARGE.code() : Errors.NONE.code()));
            }
        }
        Errors writeError = appendTransactional(known.groupId(), write, records);
        return writeError == Errors.NONE ? response : OffsetResponses.txnCommitFailed(known, writeError, response);
    }

    /**
     * Kafka's {@code validateTransactionalOffsetCommit}: an unknown group with a generation is
     * ILLEGAL_GENERATION (whatever the version), and a consumer group's stale epoch is ILLEGAL_GENERATION
     * too, as transactional clients know no STALE_MEMBER_EPOCH.
     */
    private Errors validateTxnCommit(GroupRequestContext ctx, TxnOffsetCommitRequestData request) {
        Group group = groups.get(request.groupId());
        if (group == null) {
            if (request.generationIdOrMemberEpoch() >= 0) {
                return Errors.ILLEGAL_GENERATION;
            }
            group = simpleGroups.apply(request.groupId());
        }
        Errors error = group.validateOffsetCommit(request.memberId(), request.groupInstanceId(), request.generationIdOrMemberEpoch(), true,
                ctx.apiVersion());
        return error == Errors.STALE_MEMBER_EPOCH ? Errors.ILLEGAL_GENERATION : error;
    }

    private Errors checkPartition(TopicCatalog.TopicInfo info, Uuid requestedId,
                                  OffsetCommitRequestData.OffsetCommitRequestPartition partition) {
        if (info == null) {
            return Uuid.ZERO_UUID.equals(requestedId) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.UNKNOWN_TOPIC_ID;
        }
        if (partition.partitionIndex() < 0 || partition.partitionIndex() >= info.partitions()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (partition.committedMetadata() != null && partition.committedMetadata().length() > config.offsetMetadataMaxBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return Errors.NONE;
    }

    /** The topic a request names, by id when it carries one (OffsetCommit/OffsetFetch v10), else by name. */
    private TopicCatalog.TopicInfo resolve(String name, Uuid id) {
        return id != null && !Uuid.ZERO_UUID.equals(id) ? topics.topic(id) : topics.topic(name);
    }

    /**
     * Fetches one group's offsets (OffsetFetch v8+ form; older versions are converted by the caller).
     * A null topic list asks for every committed offset of the group.
     *
     * @param requireStable OffsetFetch v7+'s {@code RequireStable} (a read_committed consumer): a
     *                      partition with an offset pending in an open transaction is answered
     *                      UNSTABLE_OFFSET_COMMIT, offset -1, in both forms, as Kafka does, so the
     *                      client retries once the transaction ended
     */
    public OffsetFetchResponseData.OffsetFetchResponseGroup fetch(GroupRequestContext ctx, OffsetFetchRequestData.OffsetFetchRequestGroup request,
                                                                 boolean requireStable) {
        OffsetFetchResponseData.OffsetFetchResponseGroup response = fetchCommitted(ctx, request);
        if (requireStable && pending.hasOpenTransactions(request.groupId())) {
            markUnstable(request.groupId(), response);
        }
        return response;
    }

    private void markUnstable(String groupId, OffsetFetchResponseData.OffsetFetchResponseGroup response) {
        for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : response.topics()) {
            for (OffsetFetchResponseData.OffsetFetchResponsePartitions partition : topic.partitions()) {
                if (partition.errorCode() == Errors.NONE.code() && pending.hasPending(groupId, new TopicPartition(topic.name(), partition.partitionIndex()))) {
                    partition.setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code()).setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("");
                }
            }
        }
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetchCommitted(GroupRequestContext ctx,
                                                                           OffsetFetchRequestData.OffsetFetchRequestGroup request) {
        OffsetFetchResponseData.OffsetFetchResponseGroup response = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(request.groupId());
        Group group = groups.get(request.groupId());
        if (group != null) {
            Errors error = group.validateOffsetFetch(request.memberId(), request.memberEpoch(), ctx.apiVersion());
            if (error != Errors.NONE) {
                return response.setErrorCode(error.code());
            }
        }
        if (request.topics() == null) {
            return response.setTopics(OffsetResponses.allOffsets(store.all(request.groupId()), topics));
        }
        for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : request.topics()) {
            TopicCatalog.TopicInfo info = resolve(topic.name(), topic.topicId());
            String name = info != null ? info.name() : topic.name();
            OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                    .setName(topic.name()).setTopicId(topic.topicId());
            for (int partition : topic.partitionIndexes()) {
                boolean unknownId = info == null && topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
                topicResponse.partitions().add(unknownId
                        ? OffsetResponses.noOffset(partition).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                        : OffsetResponses.partition(partition, store.get(request.groupId(), new TopicPartition(name, partition))));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /** Handles an OffsetDelete: removes offsets of topics the group is not subscribed to. */
    public OffsetDeleteResponseData delete(OffsetDeleteRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        Group group = groups.get(request.groupId());
        if (group == null) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
        }
        if (!group.isEmpty() && !"consumer".equals(group.protocolType())) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        List<GroupRecord> records = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse = new OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                    .setName(topic.name());
            boolean subscribed = group.isSubscribedTo(topic.name());
            TopicCatalog.TopicInfo info = topics.topic(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                // As Kafka's broker, which answers partitions it does not have before asking the coordinator.
                if (info == null || partition.partitionIndex() < 0 || partition.partitionIndex() >= info.partitions()) {
                    topicResponse.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(partition.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                    continue;
                }
                TopicPartition deleted = new TopicPartition(topic.name(), partition.partitionIndex());
                // As Kafka: a tombstone also for an offset only pending in an open transaction.
                if (!subscribed && (store.get(request.groupId(), deleted) != null || pending.hasPending(request.groupId(), deleted))) {
                    records.add(GroupRecord.tombstone(new GroupRecordKey.Offset(request.groupId(), topic.name(), partition.partitionIndex())));
                }
                topicResponse.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(subscribed ? Errors.GROUP_SUBSCRIBED_TO_TOPIC.code() : Errors.NONE.code()));
            }
            response.topics().add(topicResponse);
        }
        if (!append(request.groupId(), records)) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        return response;
    }

    /**
     * Tombstones for every offset of the group, for DeleteGroups: the committed ones and, as Kafka,
     * those only pending in open transactions (whose commit then brings back nothing).
     */
    public List<GroupRecord> tombstones(String groupId) {
        List<GroupRecord> records = new ArrayList<>();
        for (TopicPartition partition : offsetPartitions(groupId)) {
            records.add(GroupRecord.tombstone(new GroupRecordKey.Offset(groupId, partition.topic(), partition.partition())));
        }
        return records;
    }

    /** The partitions the group has a committed offset for or one pending in an open transaction. */
    private Set<TopicPartition> offsetPartitions(String groupId) {
        Set<TopicPartition> partitions = new HashSet<>(store.all(groupId).keySet());
        partitions.addAll(pending.pendingPartitions(groupId));
        return partitions;
    }

    /** Tombstones every group's offsets of a deleted topic, so a topic created under its name starts afresh. */
    public void onTopicDeleted(String topic) {
        for (String groupId : groupsWithOffsets()) {
            if (!owned.test(groupId)) {
                continue;
            }
            List<GroupRecord> records = new ArrayList<>();
            for (TopicPartition partition : offsetPartitions(groupId)) {
                if (partition.topic().equals(topic)) {
                    records.add(GroupRecord.tombstone(new GroupRecordKey.Offset(groupId, topic, partition.partition())));
                }
            }
            append(groupId, records);
        }
    }

    /** The groups with committed offsets or open transactions. */
    private Set<String> groupsWithOffsets() {
        Set<String> groupIds = new HashSet<>(store.groupIds());
        groups.all().stream().map(Group::groupId).filter(pending::hasOpenTransactions).forEach(groupIds::add);
        return groupIds;
    }

    /** Starts the periodic expiry (offsets.retention.check.interval.ms), unless it is running already. */
    public void scheduleExpiry() {
        if (scheduler.isScheduled(EXPIRY_TASK)) {
            return;
        }
        scheduler.schedule(EXPIRY_TASK, config.offsetsRetentionCheckIntervalMs(), () -> {
            expireOffsets();
            scheduleExpiry();
        });
    }

    /**
     * Expires offsets past offsets.retention.minutes (or past an expiry an old client set) by Kafka's
     * rule ({@link Group#offsetExpiryBaseMs}), never those of a topic the group still reads, and
     * deletes groups left empty with no offsets, as Kafka's periodic clean-up does. Only groups the
     * coordinator owns are looked at.
     */
    public void expireOffsets() {
        long now = scheduler.nowMs();
        Set<String> groupIds = new HashSet<>(store.groupIds());
        groups.all().forEach(group -> groupIds.add(group.groupId()));
        groupIds.removeIf(owned.negate());
        for (String groupId : groupIds) {
            Group group = groups.get(groupId);
            List<GroupRecord> records = expiredOffsets(groupId, group, now);
            int expired = records.size();
            // As Kafka, a group with open transactions is not deleted: their commit would bring offsets back.
            boolean deleteGroup = group != null && group.isEmpty() && expired == store.all(groupId).size()
                    && !pending.hasOpenTransactions(groupId);
            if (deleteGroup) {
                records.addAll(group.tombstones());
            }
            if (!records.isEmpty() && append(groupId, records)) {
                log.info("Expired {} offset(s) of group {}{}", expired, groupId, deleteGroup ? " and deleted the empty group" : "");
                if (deleteGroup) {
                    groups.remove(groupId);
                }
            }
        }
    }

    private List<GroupRecord> expiredOffsets(String groupId, Group group, long now) {
        List<GroupRecord> records = new ArrayList<>();
        for (Map.Entry<TopicPartition, GroupRecordValue.Offset> entry : store.all(groupId).entrySet()) {
            // As Kafka, an offset with a newer one pending in an open transaction waits for its end.
            if (isExpired(group, entry.getKey().topic(), entry.getValue(), now) && !pending.hasPending(groupId, entry.getKey())) {
                records.add(GroupRecord.tombstone(new GroupRecordKey.Offset(groupId, entry.getKey().topic(), entry.getKey().partition())));
            }
        }
        return records;
    }

    private boolean isExpired(Group group, String topic, GroupRecordValue.Offset offset, long now) {
        long base = group == null ? offset.commitTimestampMs() : group.offsetExpiryBaseMs(offset.commitTimestampMs());
        if (base < 0 || (group != null && group.isSubscribedTo(topic))) {
            return false;
        }
        long expireAt = offset.expireTimestampMs() >= 0 ? offset.expireTimestampMs() : base + config.offsetsRetentionMs();
        return now >= expireAt;
    }

    /** Forgets the committed offsets of the groups named by {@code groupIds} (their partition was unloaded); nothing is written. */
    public void unloadGroups(Predicate<String> groupIds) {
        store.groupIds().stream().filter(groupIds).toList().forEach(store::remove);
        pending.removeGroups(groupIds);
    }

    /** Applies an offset record of a non-transactional batch, at load and after a write. */
    public void replay(GroupRecordKey.Offset key, GroupRecordValue.Offset value) {
        replay(key, value, RecordBatch.NO_PRODUCER_ID);
    }

    /**
     * Applies an offset record, at load and after a write, as Kafka's {@code OffsetMetadataManager.replay}:
     * a value of a transactional batch ({@code producerId} not -1) is pending in the producer's
     * transaction, any other value is committed; a tombstone deletes the committed offset and the
     * pending ones. A commit to an unknown group creates its simple group.
     */
    public void replay(GroupRecordKey.Offset key, GroupRecordValue.Offset value, long producerId) {
        if (value != null && groups.get(key.groupId()) == null) {
            simpleGroups.apply(key.groupId());
        }
        TopicPartition partition = new TopicPartition(key.topic(), key.partition());
        long replayOrder = nextReplayOrder++;
        if (value == null) {
            store.replay(key.groupId(), partition, null, replayOrder);
            pending.remove(key.groupId(), partition);
        } else if (producerId == RecordBatch.NO_PRODUCER_ID) {
            store.replay(key.groupId(), partition, value, replayOrder);
        } else {
            pending.add(producerId, key.groupId(), partition, new PendingTransactionalOffsets.Pending(value, replayOrder));
        }
    }

    /**
     * Applies a transaction marker (written or replayed) of {@code __consumer_offsets} to the groups
     * {@code groupIds} accepts (those of the marker's partition), as Kafka's
     * {@code replayEndTransactionMarker}: a commit moves the producer's pending offsets into the
     * committed ones, except where an offset committed later is there already; an abort drops them.
     */
    public void replayEndTransactionMarker(long producerId, boolean commit, Predicate<String> groupIds) {
        Map<String, Map<TopicPartition, PendingTransactionalOffsets.Pending>> ended = pending.end(producerId, groupIds);
        if (!commit) {
            return;
        }
        ended.forEach((groupId, offsets) -> offsets.forEach((partition, offset) -> {
            if (offset.replayOrder() > store.replayOrder(groupId, partition)) {
                store.replay(groupId, partition, offset.value(), offset.replayOrder());
            } else {
                log.info("Group {}: the transactional offset of {} of producer {} is older than the committed one; not applied",
                        groupId, partition, producerId);
            }
        }));
    }

    /** Writes the records, then applies them; false (nothing applied) if the write failed. */
    private boolean append(String groupId, List<GroupRecord> records) {
        if (records.isEmpty()) {
            return true;
        }
        try {
            writer.write(groupId, records);
        } catch (CoordinatorWriteException e) {
            log.warn("Could not write {} offset record(s) of group {}: {}", records.size(), groupId, e.getMessage());
            return false;
        }
        for (GroupRecord record : records) {
            if (record.key() instanceof GroupRecordKey.Offset key) {
                replay(key, (GroupRecordValue.Offset) record.value());
            }
        }
        return true;
    }

    /** Writes the records as a transactional batch of {@code write}'s producer, then applies them as pending. */
    private Errors appendTransactional(String groupId, TransactionalWrite write, List<GroupRecord> records) {
        if (records.isEmpty()) {
            return Errors.NONE;
        }
        try {
            writer.writeTransactional(groupId, write, records);
        } catch (CoordinatorWriteException e) {
            log.warn("Could not write {} transactional offset record(s) of group {}: {}", records.size(), groupId, e.getMessage());
            return WriteErrors.map(e);
        }
        for (GroupRecord record : records) {
            replay((GroupRecordKey.Offset) record.key(), (GroupRecordValue.Offset) record.value(), write.producerId());
        }
        return Errors.NONE;
    }
}
