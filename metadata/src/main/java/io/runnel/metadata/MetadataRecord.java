package io.runnel.metadata;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/** One change to cluster metadata, as appended to the metadata log. Immutable. */
public sealed interface MetadataRecord {

    /** A topic was created. */
    record TopicCreated(TopicMetadata topic) implements MetadataRecord { }

    /** A topic was deleted. */
    record TopicRemoved(Uuid topicId) implements MetadataRecord { }

    /** Producer ids below {@code nextProducerId} are handed out; the next block starts there. */
    record ProducerIdsAllocated(long nextProducerId) implements MetadataRecord { }

    /** A topic's config overrides are now exactly {@code configs} (Kafka names, e.g. {@code retention.ms}). */
    record TopicConfigsChanged(Uuid topicId, Map<String, String> configs) implements MetadataRecord {
        public TopicConfigsChanged {
            configs = Map.copyOf(configs);
        }
    }

    /**
     * The dynamic configs of a broker entity are now exactly {@code configs}: {@code broker} is a node
     * id, or {@value MetadataImage#DEFAULT_BROKER} for the cluster-wide default.
     */
    record BrokerConfigsChanged(String broker, Map<String, String> configs) implements MetadataRecord {
        public BrokerConfigsChanged {
            configs = Map.copyOf(configs);
        }
    }

    /** A topic now has {@code partitionCount} partitions (more than before). */
    record PartitionsAdded(Uuid topicId, int partitionCount) implements MetadataRecord { }
}
