package io.runnel.broker.handler;

import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments, decided by the active controller: the target replicas join the
 * partition and copy its data, and once every one of them is in sync the removed ones leave (a move
 * within the replicas in sync completes at once; ListPartitionReassignments lists the others). A
 * list naming a broker that is not registered, or a broker twice, is INVALID_REPLICA_ASSIGNMENT; a
 * list of another length when the request does not allow a replication factor change is
 * INVALID_REPLICATION_FACTOR; cancelling a partition that is not moving is NO_REASSIGNMENT_IN_PROGRESS.
 * The answer comes once the change is committed and this node's metadata holds it.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {

    private final ClusterMetadata metadata;

    /** A handler reassigning through {@code metadata}'s controller. */
    public AlterPartitionReassignmentsHandler(ClusterMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AlterPartitionReassignmentsRequestData data = (AlterPartitionReassignmentsRequestData) request.body();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setAllowReplicationFactorChange(data.allowReplicationFactorChange())
                .setErrorMessage(null);
        List<ControllerCommand.Reassignment> asked = new ArrayList<>();
        Map<PartitionId, ReassignablePartitionResponse> answers = new HashMap<>();
        for (ReassignableTopic topic : data.topics()) {
            ReassignableTopicResponse topicResponse = new ReassignableTopicResponse().setName(topic.name());
            Optional<TopicMetadata> known = metadata.image().topic(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                ReassignablePartitionResponse answer = new ReassignablePartitionResponse()
                        .setPartitionIndex(partition.partitionIndex()).setErrorMessage(null);
                topicResponse.partitions().add(answer);
                if (known.isEmpty()) {
                    answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("Unable to find partition " + topic.name() + ":" + partition.partitionIndex() + ".");
                    continue;
                }
                PartitionId id = new PartitionId(known.get().id(), partition.partitionIndex());
                answers.put(id, answer);
                asked.add(new ControllerCommand.Reassignment(id, partition.replicas()));
            }
            response.responses().add(topicResponse);
        }
        if (!asked.isEmpty()) {
            for (PartitionResult result : metadata.alterReassignments(asked, data.allowReplicationFactorChange())) {
                answers.get(result.partition()).setErrorCode(result.errorCode()).setErrorMessage(result.message());
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
