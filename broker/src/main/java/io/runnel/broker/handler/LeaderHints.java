package io.runnel.broker.handler;

import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;

/**
 * KIP-951: a Produce or Fetch sent to a broker that does not lead the partition is answered with the
 * current leader and epoch, and the leaders' endpoints, so the client moves at once instead of
 * refreshing its metadata first. Thread-safe.
 */
final class LeaderHints {

    private final PartitionRegistry partitions;
    private final ClusterView cluster;

    LeaderHints(PartitionRegistry partitions, ClusterView cluster) {
        this.partitions = partitions;
        this.cluster = cluster;
    }

    /** The partition's current leader, if it has one. */
    Optional<PartitionRegistration> leader(TopicPartition topicPartition) {
        return partitions.registration(topicPartition).filter(PartitionRegistration::hasLeader);
    }

    /** Adds the endpoint on {@code listener} of each of {@code leaderIds} to a Produce answer (v10+). */
    void addEndpoints(ProduceResponseData response, Set<Integer> leaderIds, String listener) {
        forEachEndpoint(leaderIds, listener, (broker, endpoint) -> response.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint()
                .setNodeId(broker.id()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(broker.rack())));
    }

    /** Adds the endpoint on {@code listener} of each of {@code leaderIds} to a Fetch answer (v16+). */
    void addEndpoints(FetchResponseData response, Set<Integer> leaderIds, String listener) {
        forEachEndpoint(leaderIds, listener, (broker, endpoint) -> response.nodeEndpoints().add(new FetchResponseData.NodeEndpoint()
                .setNodeId(broker.id()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(broker.rack())));
    }

    private interface EndpointConsumer {
        void accept(BrokerRegistration broker, BrokerEndpoint endpoint);
    }

    private void forEachEndpoint(Set<Integer> leaderIds, String listener, EndpointConsumer consumer) {
        MetadataImage image = cluster.image();
        for (int leaderId : leaderIds) {
            image.broker(leaderId).ifPresent(broker -> broker.endpoint(listener).ifPresent(endpoint -> consumer.accept(broker, endpoint)));
        }
    }

    /** Runs {@code action} with the hint for a partition answered NOT_LEADER_OR_FOLLOWER, if it has a leader. */
    void ifLeaderKnown(TopicPartition topicPartition, Consumer<PartitionRegistration> action) {
        leader(topicPartition).ifPresent(action);
    }
}
