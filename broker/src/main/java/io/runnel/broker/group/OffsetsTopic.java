package io.runnel.broker.group;

import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.ClusterMetadata;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal topic {@code __consumer_offsets}: created on the first group request, as Kafka does,
 * compacted, with {@code offsets.topic.num.partitions} partitions. Thread-safe.
 */
public final class OffsetsTopic {

    /** The topic's name. */
    public static final String NAME = "__consumer_offsets";

    private static final Logger log = LoggerFactory.getLogger(OffsetsTopic.class);

    private final ClusterMetadata controller;
    private final PartitionRegistry partitions;
    private final int partitionCount;
    private final int segmentBytes;
    private final short replicationFactor;

    /** The topic as {@code offsets.topic.num.partitions}, {@code .segment.bytes} and {@code .replication.factor} describe it. */
    public OffsetsTopic(ClusterMetadata controller, PartitionRegistry partitions, int partitionCount, int segmentBytes, short replicationFactor) {
        this.replicationFactor = replicationFactor;
        this.controller = controller;
        this.partitions = partitions;
        this.partitionCount = partitionCount;
        this.segmentBytes = segmentBytes;
    }

    /** Whether the topic exists. */
    public boolean exists() {
        return controller.image().topic(NAME).isPresent();
    }

    /** Creates the topic unless it exists. */
    public synchronized void ensureExists() {
        if (exists()) {
            return;
        }
        // Compacted, never deleted by age or size: a group's record may be the only one for months. As in
        // Kafka, creation fails (COORDINATOR_NOT_AVAILABLE, the client retries) while fewer brokers are
        // registered than the replication factor asks for.
        controller.createTopic(NAME, partitionCount, replicationFactor, Map.of(), Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(segmentBytes),
                "compression.type", "producer", "retention.ms", "-1", "retention.bytes", "-1"), false);
        log.info("Created internal topic {} with {} partition(s), replication factor {}", NAME, partitionCount, replicationFactor);
    }

    /** The partitions the topic has (as created; it never grows). */
    public int partitionCount() {
        return controller.image().topic(NAME).map(topic -> topic.partitionCount()).orElse(partitionCount);
    }

    /** The partition numbered {@code index}. */
    public Partition partition(int index) {
        Optional<Partition> partition = partitions.partition(new TopicPartition(NAME, index));
        return partition.orElseThrow(() -> new CoordinatorNotAvailableException("partition " + index + " of " + NAME + " is not open"));
    }
}
