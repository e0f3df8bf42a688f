package io.runnel.broker.group;

import io.runnel.group.GroupCoordinator;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordSerde;
import io.runnel.group.runtime.GroupRecordWriter;
import io.runnel.group.runtime.GroupWriteException;
import io.runnel.broker.partition.DelayedOperation;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.Purgatory;
import io.runnel.protocol.KeyValueRecords;
import io.runnel.storage.log.AppendResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Writes group records as one batch to the group's {@code __consumer_offsets} partition (which it
 * never creates: a client deleting the topic must not get an empty one silently), through the
 * partition's leader append with acks=all rules (the ISR must hold {@code min.insync.replicas}), and
 * tells when what was written is replicated: the coordinator answers a request only then, as Kafka's
 * does, so an acknowledged commit survives the loss of this broker. Writes are called on the
 * coordinator thread; {@link #awaitReplicated} from any thread.
 */
final class OffsetsTopicWriter implements GroupRecordWriter {

    /** How long an answer waits for its records to be replicated (Kafka's {@code offsets.commit.timeout.ms} default). */
    static final long REPLICATION_TIMEOUT_MS = 5_000;

    /** The last write to one offsets partition: where it ends and at which leader epoch it was appended. */
    record LastWrite(Partition partition, long endOffset, int leaderEpoch) { }

    private final OffsetsTopic topic;
    private final Clock clock;
    private final Purgatory replicated;
    private final Map<Integer, LastWrite> lastWrites = new ConcurrentHashMap<>();

    OffsetsTopicWriter(OffsetsTopic topic, Clock clock, Purgatory replicated) {
        this.topic = topic;
        this.clock = clock;
        this.replicated = replicated;
    }

    @Override
    public void write(String groupId, List<GroupRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            List<KeyValueRecords.KeyValue> keyValues = new ArrayList<>(records.size());
            for (GroupRecord record : records) {
                keyValues.add(new KeyValueRecords.KeyValue(GroupRecordSerde.serializeKey(record.key()),
                        GroupRecordSerde.serializeValue(record.value())));
            }
            if (!topic.exists()) {
                throw new CoordinatorNotAvailableException(OffsetsTopic.NAME + " does not exist yet");
            }
            int index = GroupCoordinator.partitionFor(groupId, topic.partitionCount());
            Partition partition = topic.partition(index);
            int leaderEpoch = partition.leaderEpoch();
            AppendResult appended = partition.appendAsLeader(KeyValueRecords.batch(clock.millis(), keyValues), true);
            lastWrites.put(index, new LastWrite(partition, appended.lastOffset() + 1, leaderEpoch));
        } catch (RuntimeException e) {
            throw new GroupWriteException("cannot append to " + OffsetsTopic.NAME + " for group " + groupId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The last write to each offsets partition this broker coordinates, for an answer to wait on:
     * taken on the coordinator thread right after the operation, so it holds every write the answer
     * may rest on (its own and earlier ones of the same partitions).
     */
    List<LastWrite> lastWrites() {
        return List.copyOf(lastWrites.values());
    }

    /**
     * Forgets the last write to {@code partition}, whose groups this broker no longer coordinates:
     * answers taken after the unload rest on nothing of it, and waiting for it would fail them all
     * (NOT_LEADER_OR_FOLLOWER for ever). Called on the coordinator thread, right after the unload.
     */
    void forget(int partition) {
        lastWrites.remove(partition);
    }

    /**
     * Completes once {@code writes} are replicated (at once if all are); fails with NOT_COORDINATOR if
     * a partition's leadership moved meanwhile, COORDINATOR_NOT_AVAILABLE if too few replicas had it in
     * time, Kafka's answers for such a commit.
     */
    CompletableFuture<Void> awaitReplicated(List<LastWrite> writes) {
        List<LastWrite> waiting = new ArrayList<>();
        for (LastWrite write : writes) {
            var error = write.partition().replicationError(write.endOffset(), write.leaderEpoch());
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
        replicated.watch(new WaitingWrites(waiting, done), keys, REPLICATION_TIMEOUT_MS);
        return done;
    }

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
            return writes.stream().allMatch(write -> write.partition().replicationError(write.endOffset(), write.leaderEpoch()).isPresent());
        }

        @Override
        protected void complete() {
            for (LastWrite write : writes) {
                Errors error = write.partition().replicationError(write.endOffset(), write.leaderEpoch()).orElse(Errors.REQUEST_TIMED_OUT);
                if (error != Errors.NONE) {
                    done.completeExceptionally(failure(error));
                    return;
                }
            }
            done.complete(null);
        }
    }
}
