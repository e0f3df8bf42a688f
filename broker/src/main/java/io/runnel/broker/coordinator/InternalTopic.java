package io.runnel.broker.coordinator;

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
 * An internal topic a coordinator keeps its records in ({@code __consumer_offsets}, say): created
 * on first use, as Kafka does, with the partition count, replication factor and configs its
 * coordinator's settings give. Thread-safe.
 */
public final class InternalTopic {

    private static final Logger log = LoggerFactory.getLogger(InternalTopic.class);

    private final String name;
    private final int partitionCount;
    private final short replicationFactor;
    private final Map<String, String> configs;
    private final ClusterMetadata controller;
    private final PartitionRegistry partitions;

    /** The topic {@code name} as its coordinator's settings describe it; {@code configs} are its topic configs. */
    public InternalTopic(String name, int partitionCount, short replicationFactor, Map<String, String> configs, ClusterMetadata controller,
                         PartitionRegistry partitions) {
        this.name = name;
        this.partitionCount = partitionCount;
        this.replicationFactor = replicationFactor;
        this.configs = Map.copyOf(configs);
        this.controller = controller;
        this.partitions = partitions;
    }

    /** The topic's name. */
    public String name() {
        return name;
    }

    /** Whether the topic exists. */
    public boolean exists() {
        return controller.image().topic(name).isPresent();
    }

    /** Creates the topic unless it exists. */
    public synchronized void ensureExists() {
        if (exists()) {
            return;
        }
        // As in Kafka, creation fails (COORDINATOR_NOT_AVAILABLE, the client retries) while fewer brokers
        // are registered than the replication factor asks for.
        controller.createTopic(name, partitionCount, replicationFactor, Map.of(), configs, false);
        log.info("Created internal topic {} with {} partition(s), replication factor {}", name, partitionCount, replicationFactor);
    }

    /** The partitions the topic has (as created, which may differ from the setting; it never grows). */
    public int partitionCount() {
        return controller.image().topic(name).map(topic -> topic.partitionCount()).orElse(partitionCount);
    }

    /** The partition numbered {@code index}, if this broker leads it. */
    public Optional<Partition> ledPartition(int index) {
        return partitions.partition(new TopicPartition(name, index));
    }

    /**
     * The partition numbered {@code index}.
     *
     * @throws CoordinatorNotAvailableException if this broker does not lead it
     */
    public Partition partition(int index) {
        return ledPartition(index).orElseThrow(() -> new CoordinatorNotAvailableException("partition " + index + " of " + name + " is not led here"));
    }
}
