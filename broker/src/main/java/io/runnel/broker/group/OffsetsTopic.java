package io.runnel.broker.group;

import io.runnel.broker.coordinator.InternalTopic;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.ClusterMetadata;
import java.util.Map;

/** The internal topic {@code __consumer_offsets}, which the group coordinator keeps its records in. */
public final class OffsetsTopic {

    /** The topic's name. */
    public static final String NAME = "__consumer_offsets";

    private OffsetsTopic() {
    }

    /**
     * The topic as {@code offsets.topic.num.partitions}, {@code .segment.bytes} and
     * {@code .replication.factor} describe it: compacted, never deleted by age or size, since a group's
     * record may be the only one for months.
     */
    public static InternalTopic create(ClusterMetadata controller, PartitionRegistry partitions, int partitionCount, int segmentBytes,
                                       short replicationFactor) {
        return new InternalTopic(NAME, partitionCount, replicationFactor, Map.of("cleanup.policy", "compact",
                "segment.bytes", Integer.toString(segmentBytes), "compression.type", "producer", "retention.ms", "-1", "retention.bytes", "-1"),
                controller, partitions);
    }
}
