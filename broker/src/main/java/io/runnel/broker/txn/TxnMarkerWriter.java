package io.runnel.broker.txn;

import io.runnel.broker.partition.DelayedOperation;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.Purgatory;
import io.runnel.storage.log.AppendResult;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.VerificationGuard;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one transaction marker (a COMMIT or ABORT control batch) to a partition this broker leads, as
 * Kafka's WriteTxnMarkers does: appended with the {@link AppendOrigin#COORDINATOR} rules (producer and
 * coordinator epochs checked by the partition's producer state) and acks=all, and settled once the
 * high watermark passes it, or after {@code request.timeout.ms}. Serves the WriteTxnMarkers handler and
 * the transaction coordinator's marker delivery alike. Thread-safe: any thread may call {@link #write};
 * the append runs on the caller's thread, the wait in the purgatory.
 */
public final class TxnMarkerWriter {

    private static final Logger log = LoggerFactory.getLogger(TxnMarkerWriter.class);

    private final PartitionRegistry partitions;
    private final Purgatory replicated;
    private final long requestTimeoutMs;
    private final OffsetsTopicMarkers offsetsTopic;

    /**
     * A writer to the partitions of {@code partitions}, waiting for replication in {@code replicated}
     * (the purgatory acks=all produce waits in) for at most {@code requestTimeoutMs}, and handing the
     * markers of {@code __consumer_offsets} partitions to {@code offsetsTopic}.
     */
    public TxnMarkerWriter(PartitionRegistry partitions, Purgatory replicated, long requestTimeoutMs, OffsetsTopicMarkers offsetsTopic) {
        this.partitions = partitions;
        this.replicated = replicated;
        this.requestTimeoutMs = requestTimeoutMs;
        this.offsetsTopic = offsetsTopic;
    }

    /**
     * Writes the marker closing {@code producerId}'s transaction in {@code partition}. Never completes
     * exceptionally: it completes with NONE once the marker is replicated, or with the partition's error
     * as Kafka's WriteTxnMarkers gives it: UNKNOWN_TOPIC_OR_PARTITION (no replica here),
     * NOT_LEADER_OR_FOLLOWER, INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED, NOT_ENOUGH_REPLICAS,
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND, KAFKA_STORAGE_ERROR, REQUEST_TIMED_OUT, ...
     *
     * @param transactionVersion the transaction version the marker's epoch is checked at, or
     *     {@link io.runnel.storage.producer.TxnMarker#UNKNOWN_TRANSACTION_VERSION} (WriteTxnMarkers v1)
     */
    public CompletableFuture<Errors> write(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                                           short transactionVersion) {
        if (!partition.topic().equals(Topic.GROUP_METADATA_TOPIC_NAME)) {
            return appendToLog(partition, producerId, producerEpoch, coordinatorEpoch, commit, transactionVersion);
        }
        try {
            return offsetsTopic.write(partition, producerId, producerEpoch, coordinatorEpoch, commit, transactionVersion)
                    .handle((error, failure) -> failure == null ? error : asSenderError(Errors.forException(unwrapped(failure))));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(asSenderError(Errors.forException(e)));
        }
    }

    /** The group coordinator's "not ready" answers mean "retry at the leader" to the marker's sender, as in Kafka. */
    private static Errors asSenderError(Errors error) {
        return switch (error) {
            case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR -> Errors.NOT_LEADER_OR_FOLLOWER;
            default -> error;
        };
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private CompletableFuture<Errors> appendToLog(TopicPartition topicPartition, long producerId, short producerEpoch, int coordinatorEpoch,
                                                  boolean commit, short transactionVersion) {
        Optional<Partition> replica = partitions.replica(topicPartition);
        if (replica.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        Partition partition = replica.get();
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch);
        int leaderEpoch = partition.leaderEpoch();
        AppendResult appended;
        try {
            appended = partition.appendAsLeader(MemoryRecords.withEndTransactionMarker(producerId, producerEpoch, marker).buffer(), true,
                    AppendOrigin.COORDINATOR, VerificationGuard.NONE, transactionVersion);
        } catch (ApiException e) {
            log.debug("Marker of producer {} refused by {}: {}", producerId, topicPartition, e.getMessage());
            return CompletableFuture.completedFuture(Errors.forException(e));
        } catch (RuntimeException e) {
            log.error("Marker of producer {} could not be appended to {}", producerId, topicPartition, e);
            return CompletableFuture.completedFuture(Errors.KAFKA_STORAGE_ERROR);
        }
        return awaitReplicated(partition, appended.lastOffset() + 1, leaderEpoch);
    }

    private CompletableFuture<Errors> awaitReplicated(Partition partition, long requiredOffset, int leaderEpoch) {
        Optional<Errors> settled = partition.replicationError(requiredOffset, leaderEpoch);
        if (settled.isPresent()) {
            return CompletableFuture.completedFuture(settled.get());
        }
        CompletableFuture<Errors> done = new CompletableFuture<>();
        replicated.watch(new WaitingMarker(partition, requiredOffset, leaderEpoch, done), List.of(partition.topicPartition()), requestTimeoutMs);
        return done;
    }

    /** A marker waiting in the purgatory for the high watermark to pass it; REQUEST_TIMED_OUT if it does not in time. */
    private static final class WaitingMarker extends DelayedOperation {

        private final Partition partition;
        private final long requiredOffset;
        private final int leaderEpoch;
        private final CompletableFuture<Errors> done;

        WaitingMarker(Partition partition, long requiredOffset, int leaderEpoch, CompletableFuture<Errors> done) {
            this.partition = partition;
            this.requiredOffset = requiredOffset;
            this.leaderEpoch = leaderEpoch;
            this.done = done;
        }

        @Override
        protected boolean canComplete() {
            return partition.replicationError(requiredOffset, leaderEpoch).isPresent();
        }

        @Override
        protected void complete() {
            done.complete(partition.replicationError(requiredOffset, leaderEpoch).orElse(Errors.REQUEST_TIMED_OUT));
        }
    }
}
