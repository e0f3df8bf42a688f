package io.runnel.broker.handler;

import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.ReplicaRead;
import io.runnel.protocol.ZeroCopyRecords;
import io.runnel.storage.log.FetchIsolation;
import io.runnel.storage.log.FetchSlice;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.txn.AbortedTxn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.AbortedTransaction;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Reads one fetch request's partitions into a response. Reading costs index lookups only: records are
 * references to segment byte ranges, not copies, so a waiting fetch can re-read cheaply each time it
 * is woken. Safe to call from any thread; each call reads afresh.
 */
final class FetchReader {

    private final PartitionRegistry partitions;
    private final List<FetchTarget> targets;
    private final int maxBytes;
    private final boolean byTopicId;
    private final boolean readCommitted;

    private final LeaderHints hints;
    private final FollowerFetch follower;

    /**
     * The follower a replica fetch comes from.
     *
     * @param replicaId its broker id
     * @param brokerEpoch its broker epoch (-1 if the request version carries none)
     */
    record FollowerFetch(int replicaId, long brokerEpoch) { }

    /** A reader for a consumer's fetch ({@code follower} null) or a follower's. */
    FetchReader(PartitionRegistry partitions, LeaderHints hints, List<FetchTarget> targets, int maxBytes, boolean byTopicId, boolean readCommitted,
                FollowerFetch follower) {
        this.partitions = partitions;
        this.follower = follower;
        this.hints = hints;
        this.readCommitted = readCommitted;
        this.targets = targets;
        this.maxBytes = maxBytes;
        this.byTopicId = byTopicId;
    }

    /**
     * A read's outcome.
     *
     * @param response the response as it would be sent now
     * @param bytes the record bytes it carries
     * @param hasError whether some partition has an error (such a fetch is answered at once)
     */
    record Result(FetchResponseData response, int bytes, boolean hasError) { }

    Result read() {
        FetchResponseData response = new FetchResponseData();
        FetchableTopicResponse topic = null;
        int bytes = 0;
        boolean hasError = false;
        for (FetchTarget target : targets) {
            if (topic == null || !sameTopic(topic, target)) {
                topic = new FetchableTopicResponse().setTopic(target.topicName()).setTopicId(target.topicId());
                response.responses().add(topic);
            }
            PartitionData data = readPartition(target, Math.max(0, maxBytes - bytes), bytes == 0);
            if (data.errorCode() != Errors.NONE.code()) {
                data.setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
            }
            if (!readCommitted) {
                // read_uncommitted gets null, as from Kafka; read_committed the list readPartition made
                data.setAbortedTransactions(null);
            }
            bytes += data.records().sizeInBytes();
            hasError |= data.errorCode() != Errors.NONE.code();
            topic.partitions().add(data);
        }
        return new Result(response, bytes, hasError);
    }

    /**
     * Whether some partition has records past its fetch offset, or would answer with an error (an
     * unknown or deleted partition): a check of high watermarks (last stable offsets for read_committed)
     * only, no log read. A read_committed fetch at the last stable offset so waits until it moves.
     */
    boolean hasNewDataOrError() {
        for (FetchTarget target : targets) {
            if (target.topicName() == null || !target.authorized()) {
                return true;
            }
            Optional<Partition> partition = partitions.partition(new TopicPartition(target.topicName(), target.partition().partition()));
            if (partition.isEmpty()) {
                return true;
            }
            PartitionLog log = partition.get().log();
            long visibleEnd = follower != null ? log.logEndOffset() : readCommitted ? log.lastStableOffset() : log.highWatermark();
            if (visibleEnd > target.partition().fetchOffset()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The aborted transactions the read_committed slice overlaps, as (producer id, first offset): the
     * consumer drops their records. An empty slice needs none (Kafka's read at or past the last stable
     * offset answers an empty list too).
     */
    private static void addAbortedTransactions(PartitionLog log, long fetchOffset, FetchSlice slice, List<AbortedTransaction> out) {
        for (AbortedTxn aborted : log.abortedTransactions(fetchOffset, slice.upperBoundOffset())) {
            out.add(new AbortedTransaction().setProducerId(aborted.producerId()).setFirstOffset(aborted.firstOffset()));
        }
    }

    private boolean sameTopic(FetchableTopicResponse topic, FetchTarget target) {
        return byTopicId ? topic.topicId().equals(target.topicId()) : topic.topic().equals(target.topicName());
    }

    /** A follower's read: up to the leader's log end, with the diverging epoch if its log diverged. */
    private PartitionData readForFollower(Partition partition, FetchPartition request, PartitionData data, int limit, boolean firstWithData) {
        try {
            ReplicaRead read = partition.readForFollower(follower.replicaId(), follower.brokerEpoch(), request.fetchOffset(),
                    request.lastFetchedEpoch(), limit, firstWithData);
            if (read.error() != Errors.NONE) {
                return data.setErrorCode(read.error().code());
            }
            // The leader's last stable offset, which followers ignore, as Kafka's do (they compute their own).
            data.setHighWatermark(read.highWatermark()).setLastStableOffset(partition.log().lastStableOffset())
                    .setLogStartOffset(read.logStartOffset());
            if (read.diverged()) {
                data.divergingEpoch().setEpoch(read.divergingEpoch()).setEndOffset(read.divergingEndOffset());
            } else if (read.records().size() > 0) {
                data.setRecords(new ZeroCopyRecords(read.records().channel(), read.records().position(), read.records().size()));
            }
            return data;
        } catch (ApiException e) {
            return data.setErrorCode(Errors.forException(e).code());
        }
    }

    private PartitionData readPartition(FetchTarget target, int bytesLeft, boolean firstWithData) {
        FetchPartition request = target.partition();
        PartitionData data = new PartitionData().setPartitionIndex(request.partition()).setRecords(ZeroCopyRecords.EMPTY);
        if (target.topicName() == null) {
            return data.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
        }
        if (!target.authorized()) {
            return data.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        TopicPartition topicPartition = new TopicPartition(target.topicName(), request.partition());
        Optional<Partition> partition = partitions.partition(topicPartition);
        if (partition.isEmpty()) {
            Errors error = partitions.absentPartitionError(topicPartition);
            if (error == Errors.NOT_LEADER_OR_FOLLOWER) {
                hints.ifLeaderKnown(topicPartition, leader -> data.currentLeader().setLeaderId(leader.leader()).setLeaderEpoch(leader.leaderEpoch()));
            }
            return data.setErrorCode(error.code());
        }
        Errors epochError = partition.get().checkLeaderEpoch(request.currentLeaderEpoch());
        if (follower != null && epochError == Errors.NONE) {
            return readForFollower(partition.get(), request, data, Math.min(request.partitionMaxBytes(), bytesLeft), firstWithData);
        }
        PartitionLog log = partition.get().log();
        data.setHighWatermark(log.highWatermark()).setLastStableOffset(log.lastStableOffset()).setLogStartOffset(log.logStartOffset());
        if (readCommitted) {
            data.setAbortedTransactions(new ArrayList<>());
        }
        if (epochError != Errors.NONE) {
            return data.setErrorCode(epochError.code());
        }
        try {
            int limit = Math.min(request.partitionMaxBytes(), bytesLeft);
            FetchIsolation isolation = readCommitted ? FetchIsolation.TXN_COMMITTED : FetchIsolation.HIGH_WATERMARK;
            FetchSlice slice = log.read(request.fetchOffset(), limit, firstWithData, isolation);
            if (slice.size() > 0) {
                data.setRecords(new ZeroCopyRecords(slice.channel(), slice.position(), slice.size()));
                if (readCommitted) {
                    addAbortedTransactions(log, request.fetchOffset(), slice, data.abortedTransactions());
                }
            }
            return data;
        } catch (ApiException e) {
            return data.setErrorCode(Errors.forException(e).code());
        }
    }
}
