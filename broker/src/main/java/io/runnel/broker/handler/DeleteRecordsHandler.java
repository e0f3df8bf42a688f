package io.runnel.broker.handler;

import io.runnel.broker.config.TopicConfigs;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.MetadataController;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import io.runnel.storage.log.LogManager;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords: moves each partition's log start offset up to the offset given (-1: the high
 * watermark), and checkpoints the new starts before answering, so a restart keeps them. The answer
 * carries each partition's new low watermark.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    /** The offset a client sends for "everything up to the high watermark". */
    private static final long HIGH_WATERMARK = -1L;
    private static final long NO_LOW_WATERMARK = -1L;

    private final PartitionRegistry partitions;
    private final MetadataController controller;
    private final TopicConfigs topicConfigs;
    private final LogManager logManager;

    /** A handler deleting records from the logs of {@code partitions}, checkpointed through {@code logManager}. */
    public DeleteRecordsHandler(PartitionRegistry partitions, MetadataController controller, TopicConfigs topicConfigs, LogManager logManager) {
        this.partitions = partitions;
        this.controller = controller;
        this.topicConfigs = topicConfigs;
        this.logManager = logManager;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DeleteRecordsRequestData data = (DeleteRecordsRequestData) request.body();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        boolean moved = false;
        for (DeleteRecordsTopic topic : data.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult().setPartitionIndex(partition.partitionIndex());
                try {
                    long before = startOffset(topic.name(), partition.partitionIndex());
                    long lowWatermark = delete(new TopicPartition(topic.name(), partition.partitionIndex()), partition.offset());
                    moved |= lowWatermark != before;
                    result.setLowWatermark(lowWatermark);
                } catch (ApiException e) {
                    result.setErrorCode(Errors.forException(e).code()).setLowWatermark(NO_LOW_WATERMARK);
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        if (moved) {
            logManager.checkpoint();
        }
        return CompletableFuture.completedFuture(response);
    }

    private long startOffset(String topic, int partition) {
        return partitions.partition(new TopicPartition(topic, partition)).map(p -> p.log().logStartOffset()).orElse(NO_LOW_WATERMARK);
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
