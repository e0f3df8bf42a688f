package io.runnel.broker.handler;

import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments on one node: moving a partition to [this node] is where it already is,
 * so it succeeds at once; any other replica list names a broker that does not exist
 * (INVALID_REPLICA_ASSIGNMENT); cancelling finds no reassignment in progress. As Kafka answers.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {

    private static final int REPLICATION_FACTOR = 1;

    private final PartitionRegistry partitions;
    private final int nodeId;

    /** A handler for the partitions of {@code partitions}, all on node {@code nodeId}. */
    public AlterPartitionReassignmentsHandler(PartitionRegistry partitions, int nodeId) {
        this.partitions = partitions;
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AlterPartitionReassignmentsRequestData data = (AlterPartitionReassignmentsRequestData) request.body();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setAllowReplicationFactorChange(data.allowReplicationFactorChange())
                .setErrorMessage(null);
        for (ReassignableTopic topic : data.topics()) {
            ReassignableTopicResponse topicResponse = new ReassignableTopicResponse().setName(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                ReassignablePartitionResponse result = new ReassignablePartitionResponse()
                        .setPartitionIndex(partition.partitionIndex()).setErrorMessage(null);
                try {
                    reassign(new TopicPartition(topic.name(), partition.partitionIndex()), partition);
                } catch (ApiException e) {
                    result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
                }
                topicResponse.partitions().add(result);
            }
            response.responses().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void reassign(TopicPartition topicPartition, ReassignablePartition request) {
        if (partitions.partition(topicPartition).isEmpty()) {
            throw new UnknownTopicOrPartitionException("Unable to find partition " + topicPartition.topic() + ":" + topicPartition.partition() + ".");
        }
        if (request.replicas() == null) {
            throw new NoReassignmentInProgressException("No partition reassignment is in progress.");
        }
        CreatePartitionsHandler.checkReplicas(request.replicas(), nodeId, REPLICATION_FACTOR);
    }
}
