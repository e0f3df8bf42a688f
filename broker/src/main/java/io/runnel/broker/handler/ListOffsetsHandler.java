package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.protocol.KafkaRequest;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.log.TimestampAndOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets: the earliest offset, the latest (the high watermark, or the last stable offset under
 * read_committed), the offset of the record with the largest timestamp, or the first offset whose
 * timestamp is at or after a given time; a record found at or past the last offset the isolation level
 * may fetch is not reported (-1), as in Kafka.
 */
public final class ListOffsetsHandler implements ApiHandler {

    private static final long NO_TIMESTAMP = -1L;
    private static final long NO_OFFSET = -1L;
    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 4;
    private static final byte READ_COMMITTED = 1;

    private final PartitionRegistry partitions;
    private final RequestAuthorizer authorizer;

    /** A handler answering from the logs of {@code partitions}; a topic the principal may not DESCRIBE answers TOPIC_AUTHORIZATION_FAILED. */
    public ListOffsetsHandler(PartitionRegistry partitions, RequestAuthorizer authorizer) {
        this.partitions = partitions;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ListOffsetsRequestData data = (ListOffsetsRequestData) request.body();
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : data.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            boolean authorized = authorizer.authorizeTopic(request, AclOperation.DESCRIBE, topic.name());
            for (ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsPartitionResponse result = authorized ? list(topic.name(), partition, request.apiVersion(), data.isolationLevel() == READ_COMMITTED)
                        : new ListOffsetsPartitionResponse().setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setOffset(NO_OFFSET).setTimestamp(NO_TIMESTAMP);
                if (request.apiVersion() < FIRST_VERSION_WITH_LEADER_EPOCH) {
                    result.setLeaderEpoch(-1);
                }
                topicResponse.partitions().add(result);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsPartitionResponse list(String topic, ListOffsetsPartition request, short version, boolean readCommitted) {
        ListOffsetsPartitionResponse result = new ListOffsetsPartitionResponse().setPartitionIndex(request.partitionIndex());
        if (version < firstVersionServing(request.timestamp())) {
            return result.setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setOffset(NO_OFFSET).setTimestamp(NO_TIMESTAMP);
        }
        Optional<Partition> partition = partitions.partition(new TopicPartition(topic, request.partitionIndex()));
        if (partition.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setOffset(NO_OFFSET).setTimestamp(NO_TIMESTAMP);
        }
        int leaderEpoch = partition.get().leaderEpoch();
        Errors epochError = partition.get().checkLeaderEpoch(request.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return result.setErrorCode(epochError.code()).setOffset(NO_OFFSET).setTimestamp(NO_TIMESTAMP);
        }
        PartitionLog log = partition.get().log();
        long timestamp = request.timestamp();
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return offsetOnly(result, log.logStartOffset(), log.latestEpoch());
        }
        // Kafka's last fetchable offset: what a consumer of this isolation level may read up to.
        long lastFetchable = readCommitted ? log.lastStableOffset() : log.highWatermark();
        boolean lagging = partition.get().highWatermarkBehindEpochStart();
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            // The log end is in the current leader's epoch, written to or not.
            return lagging ? offsetNotAvailable(result) : offsetOnly(result, lastFetchable, leaderEpoch);
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return found(result, log.maxTimestampAndOffset(), lastFetchable, lagging);
        }
        if (timestamp < 0) {
            // Tiered-storage specs (-5, -6): nothing is tiered here, so there is no such offset.
            return result.setOffset(NO_OFFSET).setTimestamp(NO_TIMESTAMP);
        }
        return found(result, log.findOffsetByTimestamp(timestamp), lastFetchable, lagging);
    }

    /** Kafka's answer while a new leader's high watermark is below the start of its epoch: retry later. */
    private static ListOffsetsPartitionResponse offsetNotAvailable(ListOffsetsPartitionResponse result) {
        return result.setErrorCode(Errors.OFFSET_NOT_AVAILABLE.code()).setOffset(NO_OFFSET).setTimestamp(NO_TIMESTAMP);
    }

    /** The first request version that may carry this special timestamp, as Kafka gates them. */
    private static short firstVersionServing(long timestamp) {
        if (timestamp >= ListOffsetsRequest.LATEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP) {
            return 0;
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return 7;
        }
        if (timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return 8;
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
            return 9;
        }
        if (timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
            return 11;
        }
        return Short.MAX_VALUE;
    }

    private static ListOffsetsPartitionResponse offsetOnly(ListOffsetsPartitionResponse result, long offset, int epoch) {
        return result.setOffset(offset).setTimestamp(NO_TIMESTAMP).setLeaderEpoch(epoch);
    }

    /**
     * A timestamp lookup's answer. As Kafka's ReplicaManager does, a record found at or past the
     * isolation level's last fetchable offset is not reported: no offset (-1), and no error unless the
     * high watermark is {@code lagging} behind the leader epoch's start (OFFSET_NOT_AVAILABLE).
     */
    private static ListOffsetsPartitionResponse found(ListOffsetsPartitionResponse result, Optional<TimestampAndOffset> found, long lastFetchable,
                                                      boolean lagging) {
        if (found.isPresent() && found.get().offset() >= lastFetchable && lagging) {
            return offsetNotAvailable(result);
        }
        if (found.isEmpty() || found.get().offset() >= lastFetchable) {
            return result.setOffset(NO_OFFSET).setTimestamp(NO_TIMESTAMP);
        }
        return result.setOffset(found.get().offset())
                .setTimestamp(found.get().timestamp())
                .setLeaderEpoch(found.get().leaderEpoch().orElse(-1));
    }
}
