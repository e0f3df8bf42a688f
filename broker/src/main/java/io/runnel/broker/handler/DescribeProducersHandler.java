package io.runnel.broker.handler;

import io.runnel.broker.acl.RequestAuthorizer;
import org.apache.kafka.common.acl.AclOperation;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.protocol.KafkaRequest;
import io.runnel.storage.producer.ActiveProducer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers: the idempotent and transactional producers each partition remembers, with epoch,
 * last sequence, last write time, the epoch of the coordinator that wrote the producer's last marker
 * (-1 before any) and the first offset of its open transaction (-1 when none).
 */
public final class DescribeProducersHandler implements ApiHandler {


    private final PartitionRegistry partitions;
    private final RequestAuthorizer authorizer;

    /** A handler reading the producer state of {@code partitions}; a topic needs READ, else TOPIC_AUTHORIZATION_FAILED. */
    public DescribeProducersHandler(PartitionRegistry partitions, RequestAuthorizer authorizer) {
        this.partitions = partitions;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeProducersRequestData data = (DescribeProducersRequestData) request.body();
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (TopicRequest topic : data.topics()) {
            TopicResponse topicResponse = new TopicResponse().setName(topic.name());
            boolean authorized = authorizer.authorizeTopic(request, AclOperation.READ, topic.name());
            for (int index : topic.partitionIndexes()) {
                topicResponse.partitions().add(authorized ? describe(new TopicPartition(topic.name(), index))
                        : new PartitionResponse().setPartitionIndex(index).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private PartitionResponse describe(TopicPartition topicPartition) {
        PartitionResponse result = new PartitionResponse().setPartitionIndex(topicPartition.partition()).setErrorMessage(null);
        Optional<Partition> partition = partitions.partition(topicPartition);
        if (partition.isEmpty()) {
            Errors absent = partitions.absentPartitionError(topicPartition);
            return result.setErrorCode(absent.code()).setErrorMessage(absent.message());
        }
        for (ActiveProducer producer : partition.get().log().activeProducers()) {
            result.activeProducers().add(new ProducerState()
                    .setProducerId(producer.producerId())
                    .setProducerEpoch(producer.epoch())
                    .setLastSequence(producer.lastSequence())
                    .setLastTimestamp(producer.lastTimestamp())
                    .setCoordinatorEpoch(producer.coordinatorEpoch())
                    .setCurrentTxnStartOffset(producer.currentTxnStartOffset()));
        }
        return result;
    }
}
