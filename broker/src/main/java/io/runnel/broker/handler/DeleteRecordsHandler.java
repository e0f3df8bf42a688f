package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import io.runnel.storage.log.LogManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords: moves each partition's log start offset up to the offset given (-1: the high
 * watermark), and checkpoints the new starts before answering, so a restart keeps them. The answer
 * carries each partition's new low watermark.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    /** The offset a client sends for "everything up to the high watermark". */
    private static final long HIGH_WATERMARK = -1L;
    private static final long NO_LOW_WATERMARK = -1L;
    private static final Logger log = LoggerFactory.getLogger(DeleteRecordsHandler.class);

    private final PartitionRegistry partitions;
    private final ClusterMetadata controller;
    private final TopicConfigs topicConfigs;
    private final LogManager logManager;
    private final RequestAuthorizer authorizer;

    /**
     * A handler deleting records from the logs of {@code partitions}, checkpointed through
     * {@code logManager}; a topic needs DELETE, else TOPIC_AUTHORIZATION_FAILED.
     */
    public DeleteRecordsHandler(PartitionRegistry partitions, ClusterMetadata controller, TopicConfigs topicConfigs, LogManager logManager,
                                RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
        this.partitions = partitions;
        this.controller = controller;
        this.topicConfigs = topicConfigs;
        this.logManager = logManager;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DeleteRecordsRequestData data = (DeleteRecordsRequestData) request.body();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        List<DeleteRecordsPartitionResult> succeeded = new ArrayList<>();
        for (DeleteRecordsTopic topic : data.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult().setPartitionIndex(partition.partitionIndex());
                try {
                    if (!authorizer.authorizeTopic(request, AclOperation.DELETE, topic.name())) {
                        throw new TopicAuthorizationException("DELETE on topic " + topic.name() + " is not authorized.");
                    }
                    result.setLowWatermark(delete(new TopicPartition(topic.name(), partition.partitionIndex()), partition.offset()));
                    succeeded.add(result);
                } catch (ApiException e) {
                    result.setErrorCode(Errors.forException(e).code()).setLowWatermark(NO_LOW_WATERMARK);
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        if (!succeeded.isEmpty()) {
            checkpoint(succeeded);
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * Checkpoints even when this request moved nothing: another request may have moved the same start
     * and not checkpointed it yet, and success here promises the start is on disk.
     */
    private void checkpoint(List<DeleteRecordsPartitionResult> succeeded) {
        try {
            logManager.writeCheckpoints();
        } catch (IOException e) {
            log.error("Cannot checkpoint the log start offsets moved by DeleteRecords", e);
            for (DeleteRecordsPartitionResult result : succeeded) {
                result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setLowWatermark(NO_LOW_WATERMARK);
            }
        }
    }

    private long delete(TopicPartition topicPartition, long offset) {
        Optional<Partition> partition = partitions.partition(topicPartition);
        Optional<TopicMetadata> topic = controller.image().topic(topicPartition.topic());
        if (partition.isEmpty() || topic.isEmpty()) {
            throw new UnknownTopicOrPartitionException("This server does not host this topic-partition.");
        }
        if (TopicNames.isInternal(topicPartition.topic())) {
            throw new InvalidTopicException("Cannot delete records of internal topic " + topicPartition.topic());
        }
        List<?> cleanupPolicy = (List<?>) topicConfigs.effective(topic.get().configs()).get("cleanup.policy");
        if (cleanupPolicy.contains("compact") && !cleanupPolicy.contains("delete")) {
            // as Kafka: deleting from a compacted-only log would break the guarantee of its latest value per key
            throw new PolicyViolationException("Records of partition " + topicPartition + " can not be deleted due to the configured policy");
        }
        long target = offset == HIGH_WATERMARK ? partition.get().log().highWatermark() : offset;
        return partition.get().log().advanceLogStartOffset(target);
    }
}
