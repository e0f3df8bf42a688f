package io.runnel.broker.partition;

import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker holds a replica of, kept in step with the metadata image: a partition
 * placed on this broker has its log open here, with the leadership the controller decided; a topic
 * removed from the image, or a replica moved away, has its log deleted. The one place a partition's
 * state lives in the broker. Lookups are lock-free and safe from any thread; image changes arrive on
 * the metadata replay thread, one at a time.
 */
public final class PartitionRegistry implements MetadataListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionRegistry.class);

    private final int nodeId;
    private final LogManager logManager;
    private final TopicConfigs topicConfigs;
    private final ReplicationContext context;
    private final ReplicaFollowing following;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private volatile boolean verifyTransactions;
    /** Partitions whose log could not be opened, with why; retried when their topic's partitions change. */
    private final Map<TopicPartition, Exception> failed = new ConcurrentHashMap<>();
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    /**
     * Set by {@link #load}: this broker's registration epoch in the image it started from (-1 for none).
     * Until an image holds a newer registration of this broker (this process's own), the partitions'
     * logs are open but they take no leadership and follow no leader. Metadata thread only.
     */
    private long startedFromEpoch = Long.MAX_VALUE;
    private boolean awaitingRegistration;

    /**
     * The registry of broker {@code nodeId}, whose partitions keep their logs in {@code logManager},
     * replicate within {@code context}, and follow their leaders through {@code following}.
     */
    public PartitionRegistry(int nodeId, LogManager logManager, TopicConfigs topicConfigs, ReplicationContext context, ReplicaFollowing following) {
        this.nodeId = nodeId;
        this.context = context;
        this.following = following;
        this.logManager = logManager;
        this.topicConfigs = topicConfigs;
    }

    /**
     * From now on, a client's transactional batch opens a transaction only with the guard of its
     * verification by the coordinator ({@code transaction.partition.verification.enable}); applies to
     * the logs open and to those opened later.
     */
    public void verifyTransactions() {
        verifyTransactions = true;
        partitions.values().forEach(partition -> partition.log().setTransactionVerificationEnabled(true));
    }

    /** Registers a listener of this broker's leadership changes, from the next image on. */
    public void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
    }

    /**
     * Opens (recovering where needed) the logs of every partition of this broker in the image: the start-up
     * path. The image is what this broker replayed before it stopped: in it, this broker may still lead
     * partitions the controller has since moved, at epochs whose ISR has since changed. So, as Kafka's
     * brokers wait to catch up with their own registration, the partitions take their registrations only
     * from the first image that holds this process's registration (the controller moves leaderships away
     * from a broker that registers anew, at new leader epochs); until then this broker leads nothing and
     * follows no one.
     */
    public void load(MetadataImage current) {
        startedFromEpoch = current.broker(nodeId).map(BrokerRegistration::epoch).orElse(-1L);
        awaitingRegistration = true;
        onImage(MetadataImage.EMPTY, current);
        // at start-up an unreadable log stops the broker, as before: the operator must look at it
        failed.values().stream().findFirst().ifPresent(e -> {
            throw new UncheckedIOException("cannot open the logs of " + failed.keySet(),
                    e instanceof IOException io ? io : new IOException(e));
        });
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        image = current;
        if (awaitingRegistration && current.broker(nodeId).map(BrokerRegistration::epoch).orElse(-1L) > startedFromEpoch) {
            awaitingRegistration = false;
            log.info("Broker {} replayed its registration (metadata offset {}): its partitions take their leadership", nodeId, current.offset());
        }
        boolean brokerDefaultsChanged = !previous.brokerConfigs().equals(current.brokerConfigs());
        Set<TopicPartition> placedHere = new HashSet<>();
        for (TopicMetadata topic : current.topics()) {
            Optional<TopicMetadata> before = previous.topic(topic.id());
            boolean reconfigure = before.isPresent() && (brokerDefaultsChanged || !before.get().configs().equals(topic.configs()));
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration registration = topic.partition(i);
                if (registration.hasReplica(nodeId)) {
                    TopicPartition topicPartition = new TopicPartition(topic.name(), i);
                    placedHere.add(topicPartition);
                    // A log that failed to open is tried again when its partition is new here, not at every image.
                    boolean placedBefore = before.isPresent() && i < before.get().partitionCount() && before.get().partition(i).hasReplica(nodeId);
                    if (!failed.containsKey(topicPartition) || !placedBefore) {
                        update(topic, topicPartition, registration, reconfigure);
                    }
                }
            }
        }
        for (TopicPartition hosted : Set.copyOf(partitions.keySet())) {
            if (!placedHere.contains(hosted)) {
                remove(hosted);
            }
        }
        failed.keySet().retainAll(placedHere);
        for (TopicMetadata topic : previous.topics()) {
            if (current.topic(topic.id()).isEmpty()) {
                log.info("Deleted topic {} with {} partition(s), id {}", topic.name(), topic.partitionCount(), topic.id());
            }
        }
    }

    /**
     * The error for a partition this broker does not lead: KAFKA_STORAGE_ERROR if its log failed to
     * open, NOT_LEADER_OR_FOLLOWER if it exists (another broker leads it, or none does now), else
     * UNKNOWN_TOPIC_OR_PARTITION.
     */
    public Errors absentPartitionError(TopicPartition topicPartition) {
        if (failed.containsKey(topicPartition)) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return registration(topicPartition).isPresent() ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /** The partition's registration in the current image, wherever it is placed. */
    public Optional<PartitionRegistration> registration(TopicPartition topicPartition) {
        return image.topic(topicPartition.topic())
                .filter(topic -> topicPartition.partition() >= 0 && topicPartition.partition() < topic.partitionCount())
                .map(topic -> topic.partition(topicPartition.partition()));
    }

    /** The partition, if this broker leads it. */
    public Optional<Partition> partition(TopicPartition topicPartition) {
        Partition partition = partitions.get(topicPartition);
        return partition != null && partition.leader() ? Optional.of(partition) : Optional.empty();
    }

    /** Every partition this broker holds a replica of. */
    public java.util.Collection<Partition> replicas() {
        return partitions.values();
    }

    /** The partition, if this broker holds a replica of it, leader or not. */
    public Optional<Partition> replica(TopicPartition topicPartition) {
        return Optional.ofNullable(partitions.get(topicPartition));
    }

    private void update(TopicMetadata topic, TopicPartition topicPartition, PartitionRegistration registration, boolean reconfigure) {
        Partition partition = partitions.get(topicPartition);
        if (partition == null) {
            open(topic, topicPartition, registration);
            return;
        }
        if (reconfigure) {
            partition.log().updateConfig(topicConfigs.logConfig(topic.configs()));
        }
        if (awaitingRegistration) {
            return;
        }
        try {
            changeRole(partition, registration, topicConfigs.minInsyncReplicas(topic.configs()));
        } catch (RuntimeException e) {
            log.error("Cannot take the new registration of {} ({}): {}", topicPartition, registration, e.toString());
        }
    }

    /**
     * Opens the log of a partition placed here. A log that cannot be opened does not keep the others
     * from opening: its partition is left out and answers KAFKA_STORAGE_ERROR. A replicated partition's
     * log starts from its checkpointed high watermark, never from its log end: the tail may be unreplicated.
     */
    private void open(TopicMetadata topic, TopicPartition topicPartition, PartitionRegistration registration) {
        try {
            LogConfig logConfig = topicConfigs.logConfig(topic.configs());
            PartitionLog partitionLog = logManager.getOrCreateLog(topicPartition, topic.id(), logConfig, registration.replicas().size() > 1);
            partitionLog.setTransactionVerificationEnabled(verifyTransactions);
            Partition partition = new Partition(topicPartition, topic.id(), partitionLog, nodeId, context, registration);
            partitions.put(topicPartition, partition);
            failed.remove(topicPartition);
            if (!awaitingRegistration) {
                changeRole(partition, registration, topicConfigs.minInsyncReplicas(topic.configs()));
            }
        } catch (IOException | RuntimeException e) {
            log.error("Cannot open the log of {}: it answers KAFKA_STORAGE_ERROR", topicPartition, e);
            partitions.remove(topicPartition);
            failed.put(topicPartition, e);
        }
    }

    /** Gives the partition its new registration, then tells the listeners and the replica fetchers what changed. */
    private void changeRole(Partition partition, PartitionRegistration registration, int minIsr) {
        boolean wasLeader = partition.leader();
        int previousEpoch = partition.leaderEpoch();
        boolean leads = partition.update(registration, minIsr);
        if (leads || !registration.hasLeader()) {
            following.unfollow(partition.topicPartition());
        } else {
            following.follow(partition, registration.leader(), registration.leaderEpoch());
        }
        if (leads && !wasLeader) {
            log.info("Leading {} at epoch {} with ISR {}", partition.topicPartition(), partition.leaderEpoch(), registration.isr());
            leadershipListeners.forEach(listener -> listener.onLeader(partition));
        } else if (!leads && wasLeader) {
            log.info("No longer leading {}: leader {} at epoch {}", partition.topicPartition(), registration.leader(), partition.leaderEpoch());
            leadershipListeners.forEach(listener -> listener.onResigned(partition.topicPartition()));
        } else if (leads && previousEpoch != registration.leaderEpoch()) {
            log.info("Leading {} at epoch {} with ISR {}", partition.topicPartition(), partition.leaderEpoch(), registration.isr());
        }
        // Producers waiting for a leader that moved answer now, not at their timeout.
        if (wasLeader && (!leads || previousEpoch != registration.leaderEpoch())) {
            context.onHighWatermarkMoved(partition.topicPartition());
        }
    }

    private void remove(TopicPartition topicPartition) {
        Partition removed = partitions.remove(topicPartition);
        following.unfollow(topicPartition);
        if (removed.leader()) {
            leadershipListeners.forEach(listener -> listener.onResigned(topicPartition));
        }
        logManager.deleteLog(topicPartition);
    }
}
