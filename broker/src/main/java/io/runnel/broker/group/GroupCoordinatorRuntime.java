package io.runnel.broker.group;

import io.runnel.group.GroupConfig;
import io.runnel.group.GroupCoordinator;
import io.runnel.group.runtime.CoordinatorEventLoop;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.TopicMetadata;
import io.runnel.broker.partition.LeadershipListener;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.Purgatory;
import org.apache.kafka.common.TopicPartition;
import java.time.Clock;
import java.util.List;
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
 * thread. As in Kafka, this broker coordinates the groups of the {@code __consumer_offsets}
 * partitions it leads: it loads a partition's groups when it becomes the leader (replaying the
 * partition's log; meanwhile its groups answer COORDINATOR_LOAD_IN_PROGRESS) and drops them when it
 * stops leading (NOT_COORDINATOR, so clients look the coordinator up again). Thread-safe.
 */
public final class GroupCoordinatorRuntime implements MetadataListener, LeadershipListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorRuntime.class);

    private final OffsetsTopic offsetsTopic;
    private final CoordinatorEventLoop loop;
    private final GroupCoordinator coordinator;

    private final OffsetsTopicWriter writer;

    private GroupCoordinatorRuntime(OffsetsTopic offsetsTopic, CoordinatorEventLoop loop, GroupCoordinator coordinator, OffsetsTopicWriter writer) {
        this.offsetsTopic = offsetsTopic;
        this.writer = writer;
        this.loop = loop;
        this.coordinator = coordinator;
    }

    /**
     * Starts the coordinator thread and returns at once; the groups of the offsets partitions this
     * broker leads load on that thread (now, and whenever it comes to lead one).
     */
    public static GroupCoordinatorRuntime start(GroupConfig config, OffsetsTopic offsetsTopic, ClusterMetadata controller,
                                                PartitionRegistry partitions, Purgatory replicated, Clock clock) {
        CoordinatorEventLoop loop = new CoordinatorEventLoop(clock, "runnel-group-coordinator");
        OffsetsTopicWriter writer = new OffsetsTopicWriter(offsetsTopic, clock, replicated);
        GroupCoordinator coordinator = new GroupCoordinator(config, loop, writer, new BrokerTopicCatalog(controller), offsetsTopic.partitionCount());
        GroupCoordinatorRuntime runtime = new GroupCoordinatorRuntime(offsetsTopic, loop, coordinator, writer);
        controller.addListener(runtime);
        partitions.addLeadershipListener(runtime);
        for (int i = 0; i < offsetsTopic.partitionCount(); i++) {
            partitions.partition(new TopicPartition(OffsetsTopic.NAME, i)).ifPresent(runtime::onLeader);
        }
        return runtime;
    }

    @Override
    public void onLeader(Partition partition) {
        if (partition.topicPartition().topic().equals(OffsetsTopic.NAME)) {
            loop.execute(() -> load(partition));
        }
    }

    @Override
    public void onResigned(TopicPartition topicPartition) {
        if (topicPartition.topic().equals(OffsetsTopic.NAME)) {
            loop.execute(() -> {
                coordinator.unloadPartition(topicPartition.partition());
                writer.forget(topicPartition.partition());
                log.info("Unloaded the groups of {}", topicPartition);
            });
        }
    }

    /** Runs on the coordinator thread: replays one offsets partition, then serves its groups. */
    private void load(Partition partition) {
        long startNanos = System.nanoTime();
        int index = partition.topicPartition().partition();
        try {
            coordinator.setOffsetsTopicPartitionCount(offsetsTopic.partitionCount());
        } catch (IllegalStateException e) {
            // another partition is loaded already, with the same count: the topic never grows
        }
        coordinator.beginLoading(index);
        long records = OffsetsTopicLoader.load(partition.log(), coordinator);
        if (coordinator.completeLoading(index) && records > 0) {
            log.info("Loaded {} record(s) of {} in {} ms", records, partition.topicPartition(),
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
        return loop.call(() -> new Answered<>(operation.apply(coordinator), writer.lastWrites()))
                .thenCompose(answered -> afterReplication(answered.answer(), answered.restsOn()));
    }

    /** An operation's answer and the writes it rests on, taken together on the coordinator thread. */
    private record Answered<T>(T answer, List<OffsetsTopicWriter.LastWrite> restsOn) { }

    /**
     * The answer, once the records written before it are replicated: a client must not hear of a commit
     * or a group change that the loss of this broker could undo. Failures are Kafka's coordinator
     * errors (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE), so the client retries elsewhere or later.
     */
    private <T> CompletableFuture<T> afterReplication(T answer, List<OffsetsTopicWriter.LastWrite> restsOn) {
        return writer.awaitReplicated(restsOn).thenApply(replicated -> answer);
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
        // completed on the coordinator thread, so the writes taken here are those the answer rests on
        return response.thenCompose(answer -> afterReplication(answer, writer.lastWrites()));
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
