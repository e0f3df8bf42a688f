package io.runnel.broker.handler;

import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
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

    /** Adds to a Produce answer (v10+) the endpoint on {@code listener} of every leader its partitions name. */
    void addEndpoints(ProduceResponseData response, String listener) {
        Set<Integer> leaderIds = null;
        for (ProduceResponseData.TopicProduceResponse topic : response.responses()) {
            for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                leaderIds = withLeader(leaderIds, partition.currentLeader().leaderId());
            }
        }
        forEachEndpoint(leaderIds, listener, (broker, endpoint) -> response.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint()
                .setNodeId(broker.id()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(broker.rack())));
    }

    /** Adds to a Fetch answer (v16+) the endpoint on {@code listener} of every leader its partitions name. */
    void addEndpoints(FetchResponseData response, String listener) {
        Set<Integer> leaderIds = null;
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                leaderIds = withLeader(leaderIds, partition.currentLeader().leaderId());
            }
        }
        forEachEndpoint(leaderIds, listener, (broker, endpoint) -> response.nodeEndpoints().add(new FetchResponseData.NodeEndpoint()
                .setNodeId(broker.id()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(broker.rack())));
    }

    /** The leader ids so far plus {@code leaderId} if a partition names one; allocated only then, off the common path. */
    private static Set<Integer> withLeader(Set<Integer> leaderIds, int leaderId) {
        if (leaderId < 0) {
            return leaderIds;
        }
        Set<Integer> ids = leaderIds != null ? leaderIds : new java.util.TreeSet<>();
        ids.add(leaderId);
        return ids;
    }

    private interface EndpointConsumer {
        void accept(BrokerRegistration broker, BrokerEndpoint endpoint);
    }

    private void forEachEndpoint(Set<Integer> leaderIds, String listener, EndpointConsumer consumer) {
        if (leaderIds == null) {
            return;
        }
        MetadataImage image = cluster.image();
        for (int leaderId : leaderIds) {
            image.broker(leaderId).ifPresent(broker -> broker.endpoint(listener).ifPresent(endpoint -> consumer.accept(broker, endpoint)));
        }
    }

    /** Runs {@code action} with the hint for a partition answered NOT_LEADER_OR_FOLLOWER, if it has a leader. */
    void ifLeaderKnown(TopicPartition topicPartition, Consumer<PartitionRegistration> action) {
        partitions.registration(topicPartition).filter(PartitionRegistration::hasLeader).ifPresent(action);
    }
}
