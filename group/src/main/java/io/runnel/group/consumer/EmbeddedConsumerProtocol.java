package io.runnel.group.consumer;

import io.runnel.group.TopicCatalog;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.types.SchemaException;

/**
 * The consumer protocol that classic members embed in JoinGroup and SyncGroup (kafka-clients'
 * {@code ConsumerProtocol}), translated to and from the topic ids a consumer group works with.
 * Partitions of topics the catalog does not know are left out. Stateless.
 */
final class EmbeddedConsumerProtocol {

    private EmbeddedConsumerProtocol() {
    }

    /**
     * A member's subscription from its JoinGroup protocol metadata.
     *
     * @throws InconsistentGroupProtocolException if the bytes are not a consumer protocol subscription
     */
    static ConsumerPartitionAssignor.Subscription subscription(byte[] metadata) {
        try {
            return ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata));
        } catch (SchemaException | BufferUnderflowException | IllegalArgumentException e) {
            throw new InconsistentGroupProtocolException("Malformed embedded consumer protocol in subscription: " + e.getMessage());
        }
    }

    /**
     * A SyncGroup assignment (an empty array means none) as topic ids and partitions.
     *
     * @throws InconsistentGroupProtocolException if the bytes are not a consumer protocol assignment
     */
    static Map<Uuid, Set<Integer>> assignment(byte[] bytes, TopicCatalog topics) {
        if (bytes == null || bytes.length == 0) {
            return Assignments.EMPTY;
        }
        try {
            return partitions(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(bytes)).partitions(), topics);
        } catch (SchemaException | BufferUnderflowException | IllegalArgumentException e) {
            throw new InconsistentGroupProtocolException("Malformed embedded consumer protocol in assignment: " + e.getMessage());
        }
    }

    /** {@code assignment} serialized for a member, in the version of its subscription {@code metadata}. */
    static byte[] serialize(Map<Uuid, Set<Integer>> assignment, byte[] metadata, TopicCatalog topics) {
        short version = ConsumerProtocol.deserializeVersion(ByteBuffer.wrap(metadata));
        ByteBuffer buffer = ConsumerProtocol.serializeAssignment(
                new ConsumerPartitionAssignor.Assignment(topicPartitions(assignment, topics)), version);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Topic-name partitions as topic ids and partitions. */
    static Map<Uuid, Set<Integer>> partitions(List<TopicPartition> partitions, TopicCatalog topics) {
        Map<Uuid, Set<Integer>> result = new TreeMap<>();
        for (TopicPartition partition : partitions) {
            TopicCatalog.TopicInfo topic = topics.topic(partition.topic());
            if (topic != null) {
                result.computeIfAbsent(topic.id(), id -> new TreeSet<>()).add(partition.partition());
            }
        }
        return Assignments.copyOf(result);
    }

    /** Partitions a JoinGroup subscription says the member owns, as a consumer heartbeat would list them. */
    static List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned(List<TopicPartition> ownedPartitions,
                                                                      TopicCatalog topics) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = new ArrayList<>();
        partitions(ownedPartitions, topics).forEach((topicId, numbers) -> owned.add(
                new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topicId).setPartitions(new ArrayList<>(numbers))));
        return owned;
    }

    /** Topic ids and partitions as topic-name partitions. */
    static List<TopicPartition> topicPartitions(Map<Uuid, Set<Integer>> assignment, TopicCatalog topics) {
        List<TopicPartition> result = new ArrayList<>();
        assignment.forEach((topicId, numbers) -> {
            TopicCatalog.TopicInfo topic = topics.topic(topicId);
            if (topic != null) {
                numbers.forEach(partition -> result.add(new TopicPartition(topic.name(), partition)));
            }
        });
        return result;
    }
}
