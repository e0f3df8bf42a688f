package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.protocol.KafkaRequest;
import io.runnel.storage.epoch.EpochEndOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetForLeaderEpoch: the end offset of a leader epoch (the start of the next one), which consumers
 * use to validate their position after a leader change and followers use to find where to truncate.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {

    private final PartitionRegistry partitions;
    private final RequestAuthorizer authorizer;

    /**
     * A handler answering from the epoch caches of {@code partitions}; a follower (a replica id) needs
     * CLUSTER_ACTION, a client DESCRIBE on each topic, else TOPIC_AUTHORIZATION_FAILED, as in Kafka.
     */
    public OffsetForLeaderEpochHandler(PartitionRegistry partitions, RequestAuthorizer authorizer) {
        this.partitions = partitions;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        OffsetForLeaderEpochRequestData data = (OffsetForLeaderEpochRequestData) request.body();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : data.topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            boolean authorized = data.replicaId() >= 0 ? authorizer.authorizeCluster(request, AclOperation.CLUSTER_ACTION)
                    : authorizer.authorizeTopic(request, AclOperation.DESCRIBE, topic.topic());
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                result.partitions().add(authorized ? endOffset(topic.topic(), partition) : new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(partition.partition()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setLeaderEpoch(-1).setEndOffset(-1));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset endOffset(String topic, OffsetForLeaderPartition request) {
        OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                .setPartition(request.partition());
        Optional<Partition> partition = partitions.partition(new TopicPartition(topic, request.partition()));
        if (partition.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        int current = partition.get().leaderEpoch();
        Errors epochError = partition.get().checkLeaderEpoch(request.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return result.setErrorCode(epochError.code());
        }
        if (request.leaderEpoch() == current) {
            // The current epoch ends at the log end, whether or not this leader has written in it yet.
            return result.setLeaderEpoch(current).setEndOffset(partition.get().log().logEndOffset());
        }
        EpochEndOffset found = partition.get().log().endOffsetForEpoch(request.leaderEpoch());
        return result.setLeaderEpoch(found.leaderEpoch()).setEndOffset(found.endOffset());
    }
}
