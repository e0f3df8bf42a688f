package io.runnel.broker.group;

import io.runnel.broker.coordinator.CoordinatorLogWriter;
import io.runnel.broker.coordinator.CoordinatorRuntime;
import io.runnel.broker.coordinator.InternalTopic;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.Purgatory;
import io.runnel.coordinator.runtime.CoordinatorEventLoop;
import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.group.GroupConfig;
import io.runnel.group.GroupCoordinator;
import io.runnel.group.runtime.SerializingGroupRecordWriter;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.TopicMetadata;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator as the request handlers use it: the shared {@link CoordinatorRuntime} over
 * {@code __consumer_offsets}, plus what only groups need: creating the topic on FindCoordinator,
 * dropping the offsets of deleted topics, and answering parked requests at shutdown. Thread-safe.
 */
public final class GroupCoordinatorRuntime implements MetadataListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorRuntime.class);

    /** How long an answer waits for its records to be replicated (Kafka's {@code offsets.commit.timeout.ms} default). */
    static final long REPLICATION_TIMEOUT_MS = 5_000;

    private final InternalTopic offsetsTopic;
    private final CoordinatorEventLoop loop;
    private final GroupCoordinator coordinator;
    private final CoordinatorRuntime<GroupCoordinator> runtime;

    private GroupCoordinatorRuntime(InternalTopic offsetsTopic, CoordinatorEventLoop loop, GroupCoordinator coordinator,
                                    CoordinatorRuntime<GroupCoordinator> runtime) {
        this.offsetsTopic = offsetsTopic;
        this.loop = loop;
        this.coordinator = coordinator;
        this.runtime = runtime;
    }

    /**
     * Starts the coordinator thread and returns at once; the groups of the offsets partitions this
     * broker leads load on that thread (now, and whenever it comes to lead one).
     */
    public static GroupCoordinatorRuntime start(GroupConfig config, InternalTopic offsetsTopic, ClusterMetadata controller,
                                                PartitionRegistry partitions, Purgatory replicated, Clock clock) {
        CoordinatorEventLoop loop = new CoordinatorEventLoop(clock, "runnel-group-coordinator");
        CoordinatorLogWriter writer = new CoordinatorLogWriter(offsetsTopic, clock, replicated, REPLICATION_TIMEOUT_MS);
        SerializingGroupRecordWriter groupWriter = new SerializingGroupRecordWriter(writer,
                groupId -> CoordinatorKeys.partitionFor(groupId, offsetsTopic.partitionCount()));
        GroupCoordinator coordinator = new GroupCoordinator(config, loop, groupWriter, new BrokerTopicCatalog(controller), offsetsTopic.partitionCount());
        GroupCoordinatorRuntime groups = new GroupCoordinatorRuntime(offsetsTopic, loop, coordinator,
                new CoordinatorRuntime<>(offsetsTopic, loop, coordinator, writer));
        controller.addListener(groups);
        groups.runtime.start(partitions);
        return groups;
    }

    /** Creates {@code __consumer_offsets} unless it exists (FindCoordinator does this, as in Kafka). */
    public void ensureOffsetsTopic() {
        offsetsTopic.ensureExists();
    }

    /**
     * Runs {@code operation} on the coordinator thread. Only FindCoordinator creates
     * {@code __consumer_offsets}; before it exists, operations that must write answer
     * COORDINATOR_NOT_AVAILABLE and clients look for the coordinator again.
     */
    public <T> CompletableFuture<T> call(Function<GroupCoordinator, T> operation) {
        return runtime.call(operation);
    }

    /** Runs {@code operation} on the coordinator thread, for operations that answer through their own future. */
    public <T> CompletableFuture<T> callAsync(BiConsumer<GroupCoordinator, CompletableFuture<T>> operation) {
        return runtime.callAsync(operation);
    }

    /**
     * Completes a transaction on a {@code __consumer_offsets} partition, for WriteTxnMarkers: on the
     * coordinator thread, appends the COMMIT or ABORT marker there and commits or aborts the producer's
     * pending offsets, then completes once the marker is replicated. Never completes exceptionally: the
     * answer is the partition's WriteTxnMarkers error, NONE or, as Kafka's {@code KafkaApis} maps the
     * coordinator's failures, NOT_LEADER_OR_FOLLOWER for a coordinator that is not ready or not this
     * broker (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS), so the
     * transaction coordinator retries; the log's own errors (INVALID_PRODUCER_EPOCH,
     * TRANSACTION_COORDINATOR_FENCED, ...) as they are. Thread-safe.
     *
     * @param transactionVersion the transaction's version (WriteTxnMarkers v2+), -1 when unknown
     */
    public CompletableFuture<Errors> completeTransaction(TopicPartition offsetsPartition, long producerId, short producerEpoch,
                                                         int coordinatorEpoch, boolean commit, short transactionVersion) {
        if (!offsetsPartition.topic().equals(offsetsTopic.name())) {
            log.error("Asked to complete a transaction on {}, which is not a partition of {}", offsetsPartition, offsetsTopic.name());
            return CompletableFuture.completedFuture(Errors.UNKNOWN_SERVER_ERROR);
        }
        return runtime.call(coordinator -> coordinator.completeTransaction(offsetsPartition.partition(), producerId, producerEpoch,
                        coordinatorEpoch, commit, transactionVersion))
                .handle((error, failure) -> markerError(failure == null ? error : Errors.forException(unwrap(failure))));
    }

    /** Kafka's mapping of the group coordinator's errors to a WriteTxnMarkers partition error. */
    static Errors markerError(Errors error) {
        return switch (error) {
            case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR -> Errors.NOT_LEADER_OR_FOLLOWER;
            default -> error;
        };
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Answers every request parked in a rebalance (NOT_COORDINATOR), so shutdown need not wait for them. */
    public void unload() {
        loop.call(() -> {
            coordinator.unload();
            return null;
        }).join();
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        Set<String> deleted = previous.topics().stream().filter(topic -> current.topic(topic.id()).isEmpty())
                .map(TopicMetadata::name).collect(Collectors.toSet());
        loop.execute(() -> coordinator.onTopicsChanged(deleted));
    }

    /** Stops the coordinator thread; what it wrote is already in the log. */
    @Override
    public void close() {
        runtime.close();
    }
}
