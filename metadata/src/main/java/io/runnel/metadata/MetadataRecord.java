package io.runnel.metadata;

import org.apache.kafka.common.Uuid;

/** One change to cluster metadata, as appended to the metadata log. Immutable. */
public sealed interface MetadataRecord {

    /** A topic was created. */
    record TopicCreated(TopicMetadata topic) implements MetadataRecord { }

    /** A topic was deleted. */
    record TopicRemoved(Uuid topicId) implements MetadataRecord { }

    /** Producer ids below {@code nextProducerId} are handed out; the next block starts there. */
    record ProducerIdsAllocated(long nextProducerId) implements MetadataRecord { }
}
