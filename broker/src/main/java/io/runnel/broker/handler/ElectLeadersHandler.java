package io.runnel.broker.handler;

import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders on one node: this broker is every partition's only replica and so already its
 * preferred leader, so each named partition answers ELECTION_NOT_NEEDED, preferred or unclean, as
 * Kafka answers for a partition led by its preferred replica. A request for all partitions (null)
 * lists none, since Kafka leaves ELECTION_NOT_NEEDED out of that answer.
 */
public final class ElectLeadersHandler implements ApiHandler {

    private final PartitionRegistry partitions;

    /** A handler answering for the partitions of {@code partitions}. */
    public ElectLeadersHandler(PartitionRegistry partitions) {
        this.partitions = partitions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ElectLeadersRequestData data = (ElectLeadersRequestData) request.body();
        ElectLeadersResponseData response = new ElectLeadersResponseData();
        if (data.topicPartitions() == null) {
            return CompletableFuture.completedFuture(response);
        }
        for (TopicPartitions topic : data.topicPartitions()) {
            ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
            for (int partition : topic.partitions()) {
                boolean known = partitions.partition(new TopicPartition(topic.topic(), partition)).isPresent();
                result.partitionResult().add(known
                        ? new PartitionResult().setPartitionId(partition).setErrorCode(Errors.ELECTION_NOT_NEEDED.code())
                                .setErrorMessage("Leader election not needed for topic partition.")
                        : new PartitionResult().setPartitionId(partition).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                                .setErrorMessage("No such partition as " + topic.topic() + "-" + partition));
            }
            response.replicaElectionResults().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }
}
