package io.runnel.broker.handler;

import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListPartitionReassignments, from this node's committed metadata: every partition a reassignment is
 * moving (its replicas, the target followed by those being removed, and the ones added and removed),
 * or only those among the named partitions. As Kafka answers, a topic or partition that does not exist
 * or is not moving is left out, and a topic with nothing listed is not named. Stateless apart from the
 * metadata it reads; called on request handler threads.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler {

    private final ClusterMetadata metadata;

    /** A handler listing the moves in {@code metadata}'s image. */
    public ListPartitionReassignmentsHandler(ClusterMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(list(metadata.image(), ((ListPartitionReassignmentsRequestData) request.body()).topics()));
    }

    /** The answer for {@code topics} (null: every topic) in {@code image}. */
    static ListPartitionReassignmentsResponseData list(MetadataImage image, List<ListPartitionReassignmentsTopics> topics) {
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData().setErrorMessage(null);
        if (topics == null) {
            image.topics().stream().sorted(Comparator.comparing(TopicMetadata::name))
                    .forEach(topic -> addMoving(response, topic, IntStream.range(0, topic.partitionCount()).boxed().toList()));
        } else {
            for (ListPartitionReassignmentsTopics asked : topics) {
                image.topic(asked.name()).ifPresent(topic -> addMoving(response, topic, asked.partitionIndexes()));
            }
        }
        return response;
    }

    private static void addMoving(ListPartitionReassignmentsResponseData response, TopicMetadata topic, List<Integer> indexes) {
        OngoingTopicReassignment moving = new OngoingTopicReassignment().setName(topic.name());
        for (int index : indexes) {
            if (index < 0 || index >= topic.partitionCount() || !topic.partition(index).isReassigning()) {
                continue;
            }
            PartitionRegistration partition = topic.partition(index);
            moving.partitions().add(new OngoingPartitionReassignment().setPartitionIndex(index).setReplicas(partition.replicas())
                    .setAddingReplicas(partition.addingReplicas()).setRemovingReplicas(partition.removingReplicas()));
        }
        if (!moving.partitions().isEmpty()) {
            response.topics().add(moving);
        }
    }
}
