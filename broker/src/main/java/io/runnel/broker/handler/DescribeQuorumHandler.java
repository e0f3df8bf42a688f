package io.runnel.broker.handler;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.quorum.QuorumStatus;
import io.runnel.metadata.quorum.QuorumStatus.VoterStatus;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeQuorum (v0-2): the metadata quorum of partition 0 of {@code __cluster_metadata} as its leader
 * sees it, as {@code kafka-metadata-quorum describe} reads it. Any broker answers (Kafka's forward it to
 * the controller): a voter that leads from its own view, any other node by asking the leader. Observers
 * are the nodes that fetched the log from the leader lately, and every other registered broker with an
 * unknown (-1) log end. v2's nodes are the voters' controller endpoints from {@code controller.quorum.voters}
 * (none on a node alone, which listens for no controller). A request for another partition gets
 * UNKNOWN_TOPIC_OR_PARTITION; an unreachable leader NOT_LEADER_OR_FOLLOWER. Thread-safe.
 */
public final class DescribeQuorumHandler implements ApiHandler {

    /** A voter's controller endpoint. */
    public record VoterEndpoint(int nodeId, String listener, String host, int port) {
    }

    private final ClusterMetadata metadata;
    private final List<VoterEndpoint> endpoints;

    /** A handler answering from {@code metadata}, advertising {@code endpoints} in v2. */
    public DescribeQuorumHandler(ClusterMetadata metadata, List<VoterEndpoint> endpoints) {
        this.metadata = metadata;
        this.endpoints = List.copyOf(endpoints);
    }

    /** A handler whose voter endpoints are {@code controller.quorum.voters} on the first of {@code controller.listener.names}. */
    public static DescribeQuorumHandler forConfig(ClusterMetadata metadata, BrokerConfig config) {
        List<VoterEndpoint> endpoints = config.controllerListenerNames().isEmpty() ? List.of()
                : config.quorumVoters().stream().map(voter -> new VoterEndpoint(voter.nodeId(), config.controllerListenerNames().get(0),
                        voter.host(), voter.port())).toList();
        return new DescribeQuorumHandler(metadata, endpoints);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeQuorumRequestData data = (DescribeQuorumRequestData) request.body();
        if (!asksForMetadataPartition(data)) {
            return CompletableFuture.completedFuture(error(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Only " + Topic.CLUSTER_METADATA_TOPIC_NAME
                    + "-0 has a quorum."));
        }
        return metadata.quorumStatus().handle((status, failure) -> failure == null ? answer(status, metadata.image(), request.apiVersion())
                : error(Errors.NOT_LEADER_OR_FOLLOWER, "The metadata quorum leader did not answer: " + cause(failure).getMessage()));
    }

    private static boolean asksForMetadataPartition(DescribeQuorumRequestData data) {
        return data.topics().size() == 1 && Topic.CLUSTER_METADATA_TOPIC_NAME.equals(data.topics().get(0).topicName())
                && data.topics().get(0).partitions().size() == 1 && data.topics().get(0).partitions().get(0).partitionIndex() == 0;
    }

    private ApiMessage answer(QuorumStatus status, MetadataImage image, short version) {
        PartitionData partition = partition()
                .setLeaderId(status.leaderId())
                .setLeaderEpoch((int) status.term())
                .setHighWatermark(status.highWatermark())
                .setCurrentVoters(replicas(status.voters()))
                .setObservers(replicas(observers(status, image)));
        DescribeQuorumResponseData response = response(partition);
        if (version >= 2) {
            for (VoterEndpoint endpoint : endpoints) {
                DescribeQuorumResponseData.Node node = new DescribeQuorumResponseData.Node().setNodeId(endpoint.nodeId());
                node.listeners().add(new DescribeQuorumResponseData.Listener().setName(endpoint.listener()).setHost(endpoint.host())
                        .setPort(endpoint.port()));
                response.nodes().add(node);
            }
        }
        return response;
    }

    /** The observers the leader knows of, then the registered brokers that neither vote nor fetched from it lately. */
    static List<VoterStatus> observers(QuorumStatus status, MetadataImage image) {
        Set<Integer> listed = new HashSet<>();
        status.voters().forEach(voter -> listed.add(voter.nodeId()));
        List<VoterStatus> observers = new ArrayList<>();
        for (VoterStatus observer : status.observers()) {
            if (listed.add(observer.nodeId())) {
                observers.add(observer);
            }
        }
        image.brokers().values().stream().map(BrokerRegistration::id).sorted().filter(listed::add)
                .forEach(id -> observers.add(new VoterStatus(id, -1, -1, -1)));
        return observers;
    }

    private static List<ReplicaState> replicas(List<VoterStatus> replicas) {
        return replicas.stream().map(replica -> new ReplicaState()
                .setReplicaId(replica.nodeId())
                .setReplicaDirectoryId(Uuid.ZERO_UUID)
                .setLogEndOffset(replica.logEndIndex())
                .setLastFetchTimestamp(replica.lastFetchTimestampMs())
                .setLastCaughtUpTimestamp(replica.lastCaughtUpTimestampMs())).toList();
    }

    private static DescribeQuorumResponseData error(Errors error, String message) {
        return response(partition().setErrorCode(error.code()).setErrorMessage(message));
    }

    private static PartitionData partition() {
        return new PartitionData().setPartitionIndex(0).setLeaderId(-1).setLeaderEpoch(-1).setHighWatermark(-1);
    }

    private static DescribeQuorumResponseData response(PartitionData partition) {
        DescribeQuorumResponseData response = new DescribeQuorumResponseData();
        response.topics().add(new DescribeQuorumResponseData.TopicData().setTopicName(Topic.CLUSTER_METADATA_TOPIC_NAME)
                .setPartitions(new ArrayList<>(List.of(partition))));
        return response;
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
