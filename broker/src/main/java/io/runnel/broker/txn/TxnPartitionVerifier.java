package io.runnel.broker.txn;

import io.runnel.broker.interbroker.BrokerChannel;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Asks the transaction coordinator whether partitions are in a transaction before a leader appends a
 * transactional batch to them (KIP-890 part 1), or, for the second transaction protocol, adds them
 * (part 2): Kafka's {@code AddPartitionsToTxnManager}. Requests are AddPartitionsToTxn v4+, batched per
 * coordinator broker with one in flight, sent over the network even when the coordinator is this
 * broker, as Kafka does. Thread-safe.
 */
public final class TxnPartitionVerifier implements AutoCloseable {

    /** What the client's request version can take (Kafka's {@code TransactionSupportedOperation}). */
    public enum Operation {
        /** Produce v≤10, TxnOffsetCommit v≤3: TRANSACTION_ABORTABLE reaches the client as INVALID_TXN_STATE. */
        DEFAULT_ERROR,
        /** Produce v11, TxnOffsetCommit v4: the client knows TRANSACTION_ABORTABLE. */
        GENERIC_ERROR,
        /** Produce v12+, TxnOffsetCommit v5 (the second protocol): the coordinator adds the partitions. */
        ADD_PARTITION
    }

    private static final int ANSWER_TIMEOUT_MS = 30_000;

    private final int localId;
    private final String listener;
    private final InterBrokerSecurity security;
    private final Supplier<MetadataImage> image;
    private final Map<Integer, BrokerChannel<PendingVerification>> channels = new ConcurrentHashMap<>();
    private volatile VerificationTimes times = (nanos, passed) -> { };

    /** Told how long each verification took and whether every partition of it passed (the broker's meters). */
    @FunctionalInterface
    public interface VerificationTimes {
        void record(long nanos, boolean passed);
    }

    public TxnPartitionVerifier(int localId, String listener, InterBrokerSecurity security, Supplier<MetadataImage> image) {
        this.localId = localId;
        this.listener = listener;
        this.security = security;
        this.image = image;
    }

    /**
     * Verifies (or adds) {@code partitions} in the transaction of {@code transactionalId}.
     *
     * @return the partitions that did not pass, with the error the request's client should see before
     *         the produce path maps it (PRODUCER_FENCED already INVALID_PRODUCER_EPOCH); empty when all passed
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId, short producerEpoch,
                                                                 Collection<TopicPartition> partitions, Operation operation) {
        long startNanos = System.nanoTime();
        PendingVerification pending = new PendingVerification(transactionalId, producerId, producerEpoch, List.copyOf(partitions), operation,
                new CompletableFuture<>());
        MetadataImage current = image.get();
        Optional<Integer> coordinator = coordinatorOf(current, transactionalId);
        Optional<BrokerEndpoint> endpoint = coordinator.flatMap(id -> current.broker(id)).filter(broker -> !broker.fenced())
                .flatMap(broker -> broker.endpoint(listener));
        if (endpoint.isEmpty()) {
            pending.failAll(Errors.COORDINATOR_NOT_AVAILABLE);
        } else {
            channels.computeIfAbsent(coordinator.get(), id -> BrokerChannel.start("runnel-txn-verification", id,
                    "runnel-txn-verification-" + localId, ANSWER_TIMEOUT_MS, security, new VerificationExchange(id))).enqueue(pending, endpoint.get());
        }
        VerificationTimes recorder = times;
        return pending.unverified().whenComplete((unverified, failure) ->
                recorder.record(System.nanoTime() - startNanos, failure == null && unverified.isEmpty()));
    }

    /** Reports the time of every verification from now on to {@code times}. */
    public void recordTimesTo(VerificationTimes times) {
        this.times = times;
    }

    /** The leader of the id's {@code __transaction_state} partition, if it has one. */
    private static Optional<Integer> coordinatorOf(MetadataImage current, String transactionalId) {
        Optional<TopicMetadata> topic = current.topic(TransactionStateTopic.NAME);
        if (topic.isEmpty() || topic.get().partitionCount() == 0) {
            return Optional.empty();
        }
        int leader = topic.get().partition(CoordinatorKeys.partitionFor(transactionalId, topic.get().partitionCount())).leader();
        return leader == PartitionRegistration.NO_LEADER ? Optional.empty() : Optional.of(leader);
    }

    @Override
    public void close() {
        channels.values().forEach(BrokerChannel::close);
    }
}
