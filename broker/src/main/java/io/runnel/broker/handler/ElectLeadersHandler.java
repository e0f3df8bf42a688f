package io.runnel.broker.handler;

import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders, carried out by the active controller: preferred (type 0) moves leadership to the first
 * replica if it is in sync and live; unclean (type 1) gives a leaderless partition any live replica. A
 * request for all partitions (null) lists only the partitions whose election was needed, as Kafka does.
 */
public final class ElectLeadersHandler implements ApiHandler {

    private static final byte UNCLEAN = 1;

    private final ClusterMetadata metadata;

    /** A handler electing through {@code metadata}'s controller. */
    public ElectLeadersHandler(ClusterMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ElectLeadersRequestData data = (ElectLeadersRequestData) request.body();
        boolean unclean = request.apiVersion() >= 1 && data.electionType() == UNCLEAN;
        Map<String, ReplicaElectionResult> results = new LinkedHashMap<>();
        List<PartitionId> wanted = new ArrayList<>();
        Map<Uuid, String> names = new LinkedHashMap<>();
        if (data.topicPartitions() == null) {
            for (TopicMetadata topic : metadata.image().topics()) {
                names.put(topic.id(), topic.name());
                for (int i = 0; i < topic.partitionCount(); i++) {
                    wanted.add(new PartitionId(topic.id(), i));
                }
            }
        } else {
            for (TopicPartitions topic : data.topicPartitions()) {
                Optional<TopicMetadata> known = metadata.image().topic(topic.topic());
                for (int partition : topic.partitions()) {
                    if (known.isPresent()) {
                        names.put(known.get().id(), topic.topic());
                        wanted.add(new PartitionId(known.get().id(), partition));
                    } else {
                        result(results, topic.topic()).partitionResult().add(new PartitionResult().setPartitionId(partition)
                                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setErrorMessage("No such partition as " + topic.topic() + "-" + partition));
                    }
                }
            }
        }
        List<ControllerCommand.PartitionResult> elections = wanted.isEmpty() ? List.of() : metadata.electLeaders(unclean, wanted);
        for (ControllerCommand.PartitionResult election : elections) {
            if (data.topicPartitions() == null && election.errorCode() == Errors.ELECTION_NOT_NEEDED.code()) {
                continue;
            }
            result(results, names.get(election.partition().topicId())).partitionResult().add(new PartitionResult()
                    .setPartitionId(election.partition().partition()).setErrorCode(election.errorCode()).setErrorMessage(election.message()));
        }
        ElectLeadersResponseData response = new ElectLeadersResponseData();
        response.replicaElectionResults().addAll(results.values());
        return CompletableFuture.completedFuture(response);
    }

    private static ReplicaElectionResult result(Map<String, ReplicaElectionResult> results, String topic) {
        return results.computeIfAbsent(topic, name -> new ReplicaElectionResult().setTopic(name));
    }
}
