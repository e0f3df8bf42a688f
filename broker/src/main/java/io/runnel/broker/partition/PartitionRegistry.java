package io.runnel.broker.partition;

import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.TopicMetadata;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker leads, kept in step with the metadata image: a topic in the image has
 * its logs open here; a topic removed from it has its logs deleted. Lookups are lock-free and safe
 * from any thread; image changes arrive on the metadata controller's thread, one at a time.
 */
public final class PartitionRegistry implements MetadataListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionRegistry.class);

    private final LogManager logManager;
    private final TopicConfigs topicConfigs;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    /** Partitions whose log could not be opened, with why; retried when their topic's partitions change. */
    private final Map<TopicPartition, Exception> failed = new ConcurrentHashMap<>();

    /** A registry whose partitions keep their logs in {@code logManager}. */
    public PartitionRegistry(LogManager logManager, TopicConfigs topicConfigs) {
        this.logManager = logManager;
        this.topicConfigs = topicConfigs;
    }

    /** Opens (recovering where needed) the logs of every topic in the image: the start-up path. */
    public void load(MetadataImage image) {
        for (TopicMetadata topic : image.topics()) {
            open(topic);
        }
        // at start-up an unreadable log stops the broker, as before: the operator must look at it
        failed.values().stream().findFirst().ifPresent(e -> {
            throw new UncheckedIOException("cannot open the logs of " + failed.keySet(),
                    e instanceof IOException io ? io : new IOException(e));
        });
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        boolean brokerDefaultsChanged = !previous.brokerConfigs().equals(current.brokerConfigs());
        for (TopicMetadata topic : current.topics()) {
            Optional<TopicMetadata> before = previous.topic(topic.id());
            if (before.isEmpty() || before.get().partitionCount() != topic.partitionCount()) {
                open(topic);
            }
            if (before.isPresent() && (brokerDefaultsChanged || !before.get().configs().equals(topic.configs()))) {
                reconfigure(topic);
            }
        }
        for (TopicMetadata topic : previous.topics()) {
            if (current.topic(topic.id()).isEmpty()) {
                remove(topic);
            }
        }
    }

    /**
     * The error for a partition this broker has no {@link #partition} for: KAFKA_STORAGE_ERROR if its
     * log failed to open, else UNKNOWN_TOPIC_OR_PARTITION.
     */
    public Errors absentPartitionError(TopicPartition topicPartition) {
        return failed.containsKey(topicPartition) ? Errors.KAFKA_STORAGE_ERROR : Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /** The partition, if this broker leads it. */
    public Optional<Partition> partition(TopicPartition topicPartition) {
        return Optional.ofNullable(partitions.get(topicPartition));
    }

    /**
     * Hands a topic's new effective configs to its live logs: the next append, roll or retention pass
     * uses them. Runs on the metadata controller's thread, after the change is durable.
     */
    private void reconfigure(TopicMetadata topic) {
        LogConfig logConfig = topicConfigs.logConfig(topic.configs());
        int minInsyncReplicas = topicConfigs.minInsyncReplicas(topic.configs());
        for (int i = 0; i < topic.partitionCount(); i++) {
            partitions.computeIfPresent(new TopicPartition(topic.name(), i), (topicPartition, partition) -> {
                partition.log().updateConfig(logConfig);
                return new Partition(topicPartition, partition.topicId(), partition.log(), partition.leaderEpoch(), minInsyncReplicas);
            });
        }
        log.debug("Topic {} now has configs {}", topic.name(), logConfig);
    }

    /**
     * Opens the logs of the topic's partitions that have none yet. A log that cannot be opened does not
     * keep the others from opening: its partition is left out and answers KAFKA_STORAGE_ERROR.
     */
    private void open(TopicMetadata topic) {
        for (int i = 0; i < topic.partitionCount(); i++) {
            TopicPartition topicPartition = new TopicPartition(topic.name(), i);
            if (partitions.containsKey(topicPartition)) {
                continue;
            }
            try {
                PartitionLog partitionLog = logManager.getOrCreateLog(topicPartition, topic.id(), topicConfigs.logConfig(topic.configs()));
                partitions.put(topicPartition, new Partition(topicPartition, topic.id(), partitionLog,
                        Partition.INITIAL_LEADER_EPOCH, topicConfigs.minInsyncReplicas(topic.configs())));
                failed.remove(topicPartition);
            } catch (IOException | RuntimeException e) {
                log.error("Cannot open the log of {}: it answers KAFKA_STORAGE_ERROR", topicPartition, e);
                failed.put(topicPartition, e);
            }
        }
    }

    private void remove(TopicMetadata topic) {
        for (int i = 0; i < topic.partitionCount(); i++) {
            TopicPartition topicPartition = new TopicPartition(topic.name(), i);
            failed.remove(topicPartition);
            if (partitions.remove(topicPartition) != null) {
                logManager.deleteLog(topicPartition);
            }
        }
        log.info("Deleted topic {} with {} partition(s), id {}", topic.name(), topic.partitionCount(), topic.id());
    }
}
