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

    /** The broker entity of the cluster-wide default dynamic broker configs, as Kafka names it. */
    public static final String DEFAULT_BROKER = "";

    /** The image before any record. */
    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of(), 0L, Map.of());

    private final Map<String, TopicMetadata> topicsByName;
    private final Map<Uuid, TopicMetadata> topicsById;
    private final long nextProducerId;
    private final Map<String, Map<String, String>> brokerConfigs;

    private MetadataImage(Map<String, TopicMetadata> topicsByName, Map<Uuid, TopicMetadata> topicsById, long nextProducerId,
                          Map<String, Map<String, String>> brokerConfigs) {
        this.topicsByName = topicsByName;
        this.topicsById = topicsById;
        this.nextProducerId = nextProducerId;
        this.brokerConfigs = brokerConfigs;
    }

    /** The image that results from applying {@code record} to this one. */
    public MetadataImage apply(MetadataRecord record) {
        if (record instanceof MetadataRecord.TopicCreated created) {
            return withTopic(created.topic());
        }
        if (record instanceof MetadataRecord.TopicRemoved removed) {
            return withoutTopic(removed.topicId());
        }
        if (record instanceof MetadataRecord.TopicConfigsChanged changed) {
            return topic(changed.topicId()).map(t -> withTopic(t.withConfigs(changed.configs()))).orElse(this);
        }
        if (record instanceof MetadataRecord.PartitionsAdded added) {
            return topic(added.topicId()).map(t -> withTopic(t.withPartitionCount(added.partitionCount()))).orElse(this);
        }
        if (record instanceof MetadataRecord.BrokerConfigsChanged changed) {
            Map<String, Map<String, String>> configs = new HashMap<>(brokerConfigs);
            if (changed.configs().isEmpty()) {
                configs.remove(changed.broker());
            } else {
                configs.put(changed.broker(), changed.configs());
            }
            return new MetadataImage(topicsByName, topicsById, nextProducerId, Map.copyOf(configs));
        }
        MetadataRecord.ProducerIdsAllocated allocated = (MetadataRecord.ProducerIdsAllocated) record;
        return new MetadataImage(topicsByName, topicsById, allocated.nextProducerId(), brokerConfigs);
    }

    private MetadataImage withTopic(TopicMetadata topic) {
        Map<String, TopicMetadata> byName = new HashMap<>(topicsByName);
        Map<Uuid, TopicMetadata> byId = new HashMap<>(topicsById);
        byName.put(topic.name(), topic);
        byId.put(topic.id(), topic);
        return new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), nextProducerId, brokerConfigs);
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
        return new MetadataImage(Map.copyOf(byName), Map.copyOf(byId), nextProducerId, brokerConfigs);
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

    /** The dynamic configs of every broker entity that has some, by entity. */
    public Map<String, Map<String, String>> brokerConfigs() {
        return brokerConfigs;
    }

    /**
     * The dynamic configs of a broker entity (a node id, or {@link #DEFAULT_BROKER}); empty if none
     * are set.
     */
    public Map<String, String> brokerConfigs(String broker) {
        return brokerConfigs.getOrDefault(broker, Map.of());
    }
}
