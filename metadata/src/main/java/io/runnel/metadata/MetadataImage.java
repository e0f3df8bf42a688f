package io.runnel.metadata;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The cluster metadata at one point of the metadata log: an immutable value, replaced (never changed)
 * when a record is applied, so readers on any thread see a consistent whole without locks.
 */
public final class MetadataImage {

    /** The image before any record. */
    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of(), 0L);

    private final Map<String, TopicMetadata> topicsByName;
    private final Map<Uuid, TopicMetadata> topicsById;
    private final long nextProducerId;

    private MetadataImage(Map<String, TopicMetadata> topicsByName, Map<Uuid, TopicMetadata> topicsById, long nextProducerId) {
        this.topicsByName = topicsByName;
        this.topicsById = topicsById;
        this.nextProducerId = nextProducerId;
    }

    /** The image that results from applying {@code record} to this one. */
    public MetadataImage apply(MetadataRecord record) {
        if (record instanceof MetadataRecord.TopicCreated created) {
            return withTopic(created.topic());
        }
        if (record instanceof MetadataRecord.TopicRemoved removed) {
            return withoutTopic(removed.topicId());
        }
        MetadataRecord.ProducerIdsAllocated allocated = (MetadataRecord.ProducerIdsAllocated) record;
        return new MetadataImage(topicsByName, topicsById, allocated.nextProducerId());
    }

    private MetadataImage withTopic(TopicMetadata topic) {
        Map<String, TopicMetadata> byName = new HashMap<>(topicsByName);
        Map<Uuid, TopicMetadata> byId = new HashMap<>(topicsById);
        byName.put(topic.name(), topic);
        byId.put(topic.id(), topic);
        return new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), nextProducerId);
    }

    private MetadataImage withoutTopic(Uuid topicId) {
        TopicMetadata topic = topicsById.get(topicId);
        if (topic == null) {
            return this;
        }
        Map<String, TopicMetadata> byName = new HashMap<>(topicsByName);
        Map<Uuid, TopicMetadata> byId = new HashMap<>(topicsById);
        byName.remove(topic.name());
        byId.remove(topicId);
        return new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), nextProducerId);
    }

    /** The topic of this name, if it exists. */
    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    /** The topic of this id, if it exists. */
    public Optional<TopicMetadata> topic(Uuid id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    /** Every topic. */
    public Collection<TopicMetadata> topics() {
        return topicsByName.values();
    }

    /** The first producer id not yet handed out. */
    public long nextProducerId() {
        return nextProducerId;
    }
}
