package io.runnel.broker.handler;

import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
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
 * AlterPartitionReassignments, until replicas can copy data (the replication step): moving a partition
 * to the replicas it already has succeeds at once, as Kafka answers; a replica list naming a broker
 * that is not registered is INVALID_REPLICA_ASSIGNMENT; any other move is refused with
 * INVALID_REPLICA_ASSIGNMENT naming why; cancelling finds no reassignment in progress.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {

    private final PartitionRegistry partitions;
    private final ClusterMetadata metadata;

    /** A handler for the partitions of {@code partitions}, checking brokers against {@code metadata}. */
    public AlterPartitionReassignmentsHandler(PartitionRegistry partitions, ClusterMetadata metadata) {
        this.partitions = partitions;
        this.metadata = metadata;
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
        PartitionRegistration current = partitions.registration(topicPartition).orElseThrow(() ->
                new UnknownTopicOrPartitionException("Unable to find partition " + topicPartition.topic() + ":" + topicPartition.partition() + "."));
        if (request.replicas() == null) {
            throw new NoReassignmentInProgressException("No partition reassignment is in progress.");
        }
        List<Integer> replicas = request.replicas();
        if (replicas.isEmpty()) {
            throw new InvalidReplicaAssignmentException("The manual partition assignment includes an empty replica list.");
        }
        if (replicas.stream().distinct().count() != replicas.size()) {
            throw new InvalidReplicaAssignmentException("The manual partition assignment includes duplicate replicas: " + replicas + ".");
        }
        for (int replica : replicas) {
            if (metadata.image().broker(replica).isEmpty()) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker " + replica
                        + ", but no such broker is registered.");
            }
        }
        if (!replicas.equals(current.replicas())) {
            throw new InvalidReplicaAssignmentException("Moving replicas needs the data copy of replication, which this broker does not do yet.");
        }
    }
}
