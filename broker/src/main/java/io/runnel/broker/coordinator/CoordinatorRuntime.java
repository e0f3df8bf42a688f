package io.runnel.broker.coordinator;

import io.runnel.broker.partition.LeadershipListener;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.coordinator.runtime.CoordinatorEventLoop;
import io.runnel.coordinator.runtime.CoordinatorShard;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's state machine wired into the broker: every operation runs on its one coordinator
 * thread, and, as in Kafka, the broker coordinates the keys of the internal topic's partitions it
 * leads. It loads a partition when it becomes its leader (replaying the partition's log; meanwhile
 * its keys answer COORDINATOR_LOAD_IN_PROGRESS) and drops it when it stops leading (NOT_COORDINATOR,
 * so clients look the coordinator up again). Thread-safe.
 *
 * @param <S> the state machine: the group coordinator, or the transaction coordinator
 */
public final class CoordinatorRuntime<S extends CoordinatorShard> implements LeadershipListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRuntime.class);

    private final InternalTopic topic;
    private final CoordinatorEventLoop loop;
    private final S shard;
    private final CoordinatorLogWriter writer;

    /** {@code shard}, run on {@code loop}, keeping its records in {@code topic} through {@code writer}. */
    public CoordinatorRuntime(InternalTopic topic, CoordinatorEventLoop loop, S shard, CoordinatorLogWriter writer) {
        this.topic = topic;
        this.loop = loop;
        this.shard = shard;
        this.writer = writer;
    }

    /** Follows the leadership of the topic's partitions, starting with loading those this broker leads already. */
    public void start(PartitionRegistry partitions) {
        partitions.addLeadershipListener(this);
        for (int i = 0; i < topic.partitionCount(); i++) {
            topic.ledPartition(i).ifPresent(this::onLeader);
        }
    }

    @Override
    public void onLeader(Partition partition) {
        if (partition.topicPartition().topic().equals(topic.name())) {
            loop.execute(() -> load(partition));
        }
    }

    @Override
    public void onResigned(TopicPartition topicPartition) {
        if (topicPartition.topic().equals(topic.name())) {
            loop.execute(() -> {
                shard.unloadPartition(topicPartition.partition());
                writer.forget(topicPartition.partition());
                log.info("Unloaded {}", topicPartition);
            });
        }
    }

    /** Runs on the coordinator thread: replays one partition, then serves its keys. */
    private void load(Partition partition) {
        long startNanos = System.nanoTime();
        int index = partition.topicPartition().partition();
        shard.beginLoading(index, topic.partitionCount(), partition.leaderEpoch());
        long records = CoordinatorLoader.load(partition.log(), index, shard);
        if (shard.completeLoading(index) && records > 0) {
            log.info("Loaded {} record(s) of {} in {} ms", records, partition.topicPartition(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    /** Runs {@code operation} on the coordinator thread; the answer comes once what was written before it is replicated. */
    public <T> CompletableFuture<T> call(Function<S, T> operation) {
        return loop.call(() -> new Answered<>(operation.apply(shard), writer.lastWrites()))
                .thenCompose(answered -> afterReplication(answered.answer(), answered.restsOn()));
    }

    /** An operation's answer and the writes it rests on, taken together on the coordinator thread. */
    private record Answered<T>(T answer, List<CoordinatorLogWriter.LastWrite> restsOn) { }

    /** Runs {@code operation} on the coordinator thread, for operations that answer through their own future. */
    public <T> CompletableFuture<T> callAsync(BiConsumer<S, CompletableFuture<T>> operation) {
        CompletableFuture<T> response = new CompletableFuture<>();
        loop.call(() -> {
            operation.accept(shard, response);
            return null;
        }).whenComplete((ignored, error) -> {
            if (error != null) {
                response.completeExceptionally(error);
            }
        });
        // completed on the coordinator thread, so the writes taken here are those the answer rests on
        return response.thenCompose(answer -> afterReplication(answer, writer.lastWrites()));
    }

    /**
     * The answer, once the records written before it are replicated: a client must not hear of a change
     * that the loss of this broker could undo. Failures are Kafka's coordinator errors
     * (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE), so the client retries elsewhere or later.
     */
    private <T> CompletableFuture<T> afterReplication(T answer, List<CoordinatorLogWriter.LastWrite> restsOn) {
        return writer.awaitAllReplicated(restsOn).thenApply(replicated -> answer);
    }

    /** Stops the coordinator thread; what it wrote is already in the log. */
    @Override
    public void close() {
        loop.close();
    }
}
