package io.runnel.broker.coordinator;

import io.runnel.broker.partition.DelayedOperation;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.Purgatory;
import io.runnel.coordinator.runtime.Appended;
import io.runnel.coordinator.runtime.CoordinatorRecord;
import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.coordinator.runtime.CoordinatorWriter;
import io.runnel.coordinator.runtime.TransactionalWrite;
import io.runnel.protocol.KeyValueRecords;
import io.runnel.storage.log.AppendResult;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Writes a coordinator's records as one batch to a partition of its internal topic (which it never
 * creates: a client deleting the topic must not get an empty one silently), through the partition's
 * leader append with acks=all rules (the ISR must hold {@code min.insync.replicas}), and tells when
 * what was written is replicated: a coordinator answers a request only then, as Kafka's do, so an
 * acknowledged change survives the loss of this broker. One per internal topic. Appends are called on
 * the coordinator thread; the waits for replication from any thread.
 */
public final class CoordinatorLogWriter implements CoordinatorWriter {

    /** The last write to one partition: the partition as it was appended to, and where the write ended. */
    record LastWrite(Partition partition, Appended appended) { }

    private final InternalTopic topic;
    private final Clock clock;
    private final Purgatory replicated;
    private final long replicationTimeoutMs;
    private final Map<Integer, LastWrite> lastWrites = new ConcurrentHashMap<>();

    /**
     * A writer to {@code topic}, whose waits for replication end after {@code replicationTimeoutMs}
     * (Kafka's {@code offsets.commit.timeout.ms} for groups).
     */
    public CoordinatorLogWriter(InternalTopic topic, Clock clock, Purgatory replicated, long replicationTimeoutMs) {
        this.topic = topic;
        this.clock = clock;
        this.replicated = replicated;
        this.replicationTimeoutMs = replicationTimeoutMs;
    }

    @Override
    public Appended append(int partitionIndex, List<CoordinatorRecord> records) {
        requireRecords(partitionIndex, records);
        return appendBatch(partitionIndex, () -> KeyValueRecords.batch(clock.millis(), keyValues(records)), AppendOrigin.COORDINATOR,
                VerificationGuard.NONE, TxnMarker.UNKNOWN_TRANSACTION_VERSION);
    }

    @Override
    public Appended appendTransactional(int partitionIndex, TransactionalWrite write, List<CoordinatorRecord> records) {
        requireRecords(partitionIndex, records);
        return appendBatch(partitionIndex,
                () -> KeyValueRecords.transactionalBatch(clock.millis(), write.producerId(), write.producerEpoch(), keyValues(records)),
                AppendOrigin.COORDINATOR, write.guard(), TxnMarker.UNKNOWN_TRANSACTION_VERSION);
    }

    @Override
    public Appended appendMarker(int partitionIndex, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                                 short transactionVersion) {
        return appendBatch(partitionIndex, () -> KeyValueRecords.marker(clock.millis(), producerId, producerEpoch, coordinatorEpoch, commit),
                AppendOrigin.COORDINATOR, VerificationGuard.NONE, transactionVersion);
    }

    private void requireRecords(int partitionIndex, List<CoordinatorRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("Nothing to append to " + topic.name() + "-" + partitionIndex);
        }
    }

    private static List<KeyValueRecords.KeyValue> keyValues(List<CoordinatorRecord> records) {
        return records.stream().map(r -> new KeyValueRecords.KeyValue(r.key(), r.value())).toList();
    }

    /** Appends one batch as the partition's leader with acks=all rules, remembering where it ended. */
    private Appended appendBatch(int partitionIndex, Supplier<ByteBuffer> batch, AppendOrigin origin, VerificationGuard guard,
                                 short markerTxnVersion) {
        try {
            if (!topic.exists()) {
                throw new CoordinatorNotAvailableException(topic.name() + " does not exist yet");
            }
            Partition partition = topic.partition(partitionIndex);
            int leaderEpoch = partition.leaderEpoch();
            AppendResult result = partition.appendAsLeader(batch.get(), true, origin, guard, markerTxnVersion);
            Appended appended = new Appended(partitionIndex, result.lastOffset() + 1, leaderEpoch);
            lastWrites.put(partitionIndex, new LastWrite(partition, appended));
            return appended;
        } catch (RuntimeException e) {
            throw new CoordinatorWriteException("cannot append to " + topic.name() + "-" + partitionIndex + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Void> awaitReplicated(Appended appended) {
        return topic.ledPartition(appended.partition())
                .map(partition -> awaitReplicated(List.of(new LastWrite(partition, appended))))
                .orElseGet(() -> CompletableFuture.failedFuture(failure(Errors.NOT_LEADER_OR_FOLLOWER)));
    }

    /**
     * The last write to each partition this broker coordinates, for an answer to wait on (the group
     * coordinator's contract: it applies a change at once and answers once it is replicated): taken on
     * the coordinator thread right after the operation, so it holds every write the answer may rest on.
     */
    public List<LastWrite> lastWrites() {
        return List.copyOf(lastWrites.values());
    }

    /**
     * Forgets the last write to {@code partitionIndex}, whose keys this broker no longer coordinates:
     * answers taken after the unload rest on nothing of it, and waiting for it would fail them all
     * (NOT_LEADER_OR_FOLLOWER for ever). Called on the coordinator thread, right after the unload.
     */
    public void forget(int partitionIndex) {
        lastWrites.remove(partitionIndex);
    }

    /** Completes once {@code writes} are replicated (at once if all are). */
    public CompletableFuture<Void> awaitAllReplicated(List<LastWrite> writes) {
        return awaitReplicated(writes);
    }

    private CompletableFuture<Void> awaitReplicated(Collection<LastWrite> writes) {
        List<LastWrite> waiting = new ArrayList<>();
        for (LastWrite write : writes) {
            var error = replicationError(write);
            if (error.isEmpty()) {
                waiting.add(write);
            } else if (error.get() != Errors.NONE) {
                return CompletableFuture.failedFuture(failure(error.get()));
            }
        }
        if (waiting.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<TopicPartition> keys = waiting.stream().map(write -> write.partition().topicPartition()).toList();
        replicated.watch(new WaitingWrites(waiting, done), keys, replicationTimeoutMs);
        return done;
    }

    private static Optional<Errors> replicationError(LastWrite write) {
        return write.partition().replicationError(write.appended().endOffset(), write.appended().leaderEpoch());
    }

    /** Kafka's coordinator errors for a write that did not replicate, so the client retries elsewhere or later. */
    private static RuntimeException failure(Errors error) {
        return error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.KAFKA_STORAGE_ERROR
                ? new NotCoordinatorException("The coordinator lost its partition while the records were replicated: " + error)
                : new CoordinatorNotAvailableException("The records were not replicated: " + error);
    }

    /** Writes waiting in the purgatory until the high watermarks pass them. */
    private static final class WaitingWrites extends DelayedOperation {

        private final List<LastWrite> writes;
        private final CompletableFuture<Void> done;

        WaitingWrites(List<LastWrite> writes, CompletableFuture<Void> done) {
            this.writes = writes;
            this.done = done;
        }

        @Override
        protected boolean canComplete() {
            return writes.stream().allMatch(write -> replicationError(write).isPresent());
        }

        @Override
        protected void complete() {
            for (LastWrite write : writes) {
                Errors error = replicationError(write).orElse(Errors.REQUEST_TIMED_OUT);
                if (error != Errors.NONE) {
                    done.completeExceptionally(failure(error));
                    return;
                }
            }
            done.complete(null);
        }
    }
}
