package io.runnel.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of cluster metadata. Each operation checks the current image, appends the
 * records of its change to the metadata log, and only once they are durable publishes the new image
 * and tells the listeners. Operations are serialized (one at a time); {@link #image()} may be read
 * from any thread at any time.
 */
public final class MetadataController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataController.class);

    private final LocalMetadataLog metadataLog;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;

    private MetadataController(LocalMetadataLog metadataLog, MetadataImage image) {
        this.metadataLog = metadataLog;
        this.image = image;
    }

    /** Opens the metadata log in {@code dir} and replays it into the current image. */
    public static MetadataController open(Path dir) throws IOException {
        LocalMetadataLog metadataLog = LocalMetadataLog.open(dir);
        MetadataImage image = MetadataImage.EMPTY;
        for (MetadataRecord record : metadataLog.recoveredRecords()) {
            image = image.apply(record);
        }
        return new MetadataController(metadataLog, image);
    }

    /** The current image. */
    public MetadataImage image() {
        return image;
    }

    /** Registers a listener for every image committed from now on. */
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    /**
     * Creates a topic with a fresh id.
     *
     * @throws TopicExistsException if a topic of that name exists
     * @throws InvalidTopicException if the name collides with an existing one once '.' and '_' are
     *     treated alike (their metric names would clash, so Kafka refuses it too)
     */
    public synchronized TopicMetadata createTopic(String name, int partitionCount, Map<String, String> configs) {
        checkCreatable(name);
        TopicMetadata topic = new TopicMetadata(name, Uuid.randomUuid(), partitionCount, configs);
        commit(new MetadataRecord.TopicCreated(topic));
        return topic;
    }

    /** Checks that a topic of this name could be created now, without creating it. */
    public void checkCreatable(String name) {
        MetadataImage current = image;
        if (current.topic(name).isPresent()) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        String unified = unifyCollisionChars(name);
        for (TopicMetadata existing : current.topics()) {
            if (unifyCollisionChars(existing.name()).equals(unified)) {
                throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + existing.name());
            }
        }
    }

    /**
     * Deletes a topic.
     *
     * @throws UnknownTopicIdException if no topic has that id
     */
    public synchronized TopicMetadata deleteTopic(Uuid topicId) {
        TopicMetadata topic = image.topic(topicId)
                .orElseThrow(() -> new UnknownTopicIdException("Topic id " + topicId + " not found."));
        commit(new MetadataRecord.TopicRemoved(topicId));
        return topic;
    }

    /**
     * Replaces a topic's config overrides (already validated by the caller).
     *
     * @throws UnknownTopicIdException if no topic has that id
     */
    public synchronized void alterTopicConfigs(Uuid topicId, Map<String, String> configs) {
        image.topic(topicId).orElseThrow(() -> new UnknownTopicIdException("Topic id " + topicId + " not found."));
        commit(new MetadataRecord.TopicConfigsChanged(topicId, configs));
    }

    /**
     * Replaces the dynamic configs of a broker entity: a node id, or {@link MetadataImage#DEFAULT_BROKER}
     * for the cluster-wide default (already validated by the caller).
     */
    public synchronized void alterBrokerConfigs(String broker, Map<String, String> configs) {
        commit(new MetadataRecord.BrokerConfigsChanged(broker, configs));
    }

    /**
     * Raises a topic's partition count.
     *
     * @throws UnknownTopicIdException if no topic has that id
     * @throws IllegalArgumentException if {@code partitionCount} is not above the current count
     */
    public synchronized void addPartitions(Uuid topicId, int partitionCount) {
        TopicMetadata topic = image.topic(topicId).orElseThrow(() -> new UnknownTopicIdException("Topic id " + topicId + " not found."));
        if (partitionCount <= topic.partitionCount()) {
            throw new IllegalArgumentException("topic " + topic.name() + " has " + topic.partitionCount() + " partitions already");
        }
        commit(new MetadataRecord.PartitionsAdded(topicId, partitionCount));
    }

    /** Reserves {@code count} producer ids and returns the first; ids are never handed out twice, across restarts too. */
    public synchronized long allocateProducerIds(int count) {
        long first = image.nextProducerId();
        commit(new MetadataRecord.ProducerIdsAllocated(first + count));
        return first;
    }

    private void commit(MetadataRecord record) {
        try {
            metadataLog.append(List.of(record));
        } catch (IOException e) {
            throw new UncheckedIOException("metadata log append failed", e);
        }
        MetadataImage previous = image;
        image = previous.apply(record);
        for (MetadataListener listener : listeners) {
            try {
                listener.onImage(previous, image);
            } catch (RuntimeException e) {
                // the change is durable and published: one listener's failure must not keep it from the others
                log.error("Metadata listener {} failed on {}", listener, record.getClass().getSimpleName(), e);
            }
        }
    }

    private static String unifyCollisionChars(String name) {
        return name.replace('.', '_');
    }

    @Override
    public synchronized void close() throws IOException {
        metadataLog.close();
    }
}
