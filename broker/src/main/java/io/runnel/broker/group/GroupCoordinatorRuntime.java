package io.runnel.broker.group;

import io.runnel.group.GroupConfig;
import io.runnel.group.GroupCoordinator;
import io.runnel.group.runtime.CoordinatorEventLoop;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.TopicMetadata;
import io.runnel.broker.partition.PartitionRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator as the request handlers use it: every operation runs on the one coordinator
 * thread, after {@code __consumer_offsets} exists. Loads the stored groups at start and follows
 * topic changes. Thread-safe.
 */
public final class GroupCoordinatorRuntime implements MetadataListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorRuntime.class);

    private final OffsetsTopic offsetsTopic;
    private final CoordinatorEventLoop loop;
    private final GroupCoordinator coordinator;

    private GroupCoordinatorRuntime(OffsetsTopic offsetsTopic, CoordinatorEventLoop loop, GroupCoordinator coordinator) {
        this.offsetsTopic = offsetsTopic;
        this.loop = loop;
        this.coordinator = coordinator;
    }

    /**
     * Starts the coordinator thread with the replay of {@code __consumer_offsets} as its first task,
     * and returns at once: the broker listens while groups load, and group requests simply queue
     * behind the load on the coordinator thread (where Kafka answers COORDINATOR_LOAD_IN_PROGRESS
     * and lets clients retry).
     */
    public static GroupCoordinatorRuntime start(GroupConfig config, int offsetsSegmentBytes, ClusterMetadata controller,
                                                PartitionRegistry partitions, Clock clock) {
        OffsetsTopic offsetsTopic = new OffsetsTopic(controller, partitions, config.offsetsTopicNumPartitions(), offsetsSegmentBytes);
        CoordinatorEventLoop loop = new CoordinatorEventLoop(clock, "runnel-group-coordinator");
        GroupCoordinator coordinator = new GroupCoordinator(config, loop, new OffsetsTopicWriter(offsetsTopic, clock),
                new BrokerTopicCatalog(controller));
        GroupCoordinatorRuntime runtime = new GroupCoordinatorRuntime(offsetsTopic, loop, coordinator);
        loop.execute(runtime::load);
        controller.addListener(runtime);
        return runtime;
    }

    /** Runs on the coordinator thread, before any request. */
    private void load() {
        long startNanos = System.nanoTime();
        long records = offsetsTopic.exists() ? new OffsetsTopicLoader(offsetsTopic).load(coordinator) : 0;
        coordinator.onLoaded();
        if (records > 0) {
            log.info("Replayed {} record(s) of {} in {} ms", records, OffsetsTopic.NAME,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
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
        return loop.call(() -> operation.apply(coordinator));
    }

    /** Runs {@code operation} on the coordinator thread, for operations that answer through their own future. */
    public <T> CompletableFuture<T> callAsync(java.util.function.BiConsumer<GroupCoordinator, CompletableFuture<T>> operation) {
        CompletableFuture<T> response = new CompletableFuture<>();
        loop.call(() -> {
            operation.accept(coordinator, response);
            return null;
        }).whenComplete((ignored, error) -> {
            if (error != null) {
                response.completeExceptionally(error);
            }
        });
        return response;
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
        Consumer<GroupCoordinator> update = c -> c.onTopicsChanged(deleted);
        loop.execute(() -> update.accept(coordinator));
    }

    /** Stops the coordinator thread; what it wrote is already in the log. */
    @Override
    public void close() {
        loop.close();
    }
}
