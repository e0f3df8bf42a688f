package io.runnel.broker.txn;

import io.runnel.broker.interbroker.BrokerChannel;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.transaction.TxnMarkers;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the commit and abort markers of prepared transactions to the leaders of their partitions
 * (Kafka's {@code TransactionMarkerChannelManager} and its completion handler). A partition this broker
 * leads is written here with no socket; each other leader gets one {@link BrokerChannel}, which sends
 * everything queued for it in one WriteTxnMarkers request at a time. Every written marker is reported
 * with {@link Acknowledgements#written}; the coordinator writes CompleteCommit or CompleteAbort once
 * the last one is in.
 *
 * <p>A marker whose leader is unknown, or whose write failed for a reason that may pass (leadership
 * moved, too few replicas, a timeout, a lost connection), is tried again after {@code retry.backoff.ms}
 * with the leader of that moment. Markers of a {@code __transaction_state} partition this broker no
 * longer coordinates, at that coordinator epoch, are dropped: the partition's new leader resumes the
 * transaction from its log. Thread-safe.
 */
public final class TxnMarkerSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TxnMarkerSender.class);

    /** Kafka's {@code retry.backoff.ms} default, which its marker channel manager waits before a retry. */
    static final long RETRY_BACKOFF_MS = 100;

    /** Writes a marker to a partition this broker leads; never completes exceptionally. */
    @FunctionalInterface
    public interface LocalMarkers {
        CompletableFuture<Errors> write(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                short transactionVersion);
    }

    /** Told, on any thread, that a partition of a transaction has its marker (or no longer needs one). */
    @FunctionalInterface
    public interface Acknowledgements {
        void written(TxnMarkers transaction, TopicPartition partition);
    }

    private final int localId;
    private final String listener;
    private final InterBrokerSecurity security;
    private final Supplier<MetadataImage> image;
    private final LocalMarkers local;
    private final Acknowledgements acknowledgements;
    private final ToIntFunction<String> coordinatorPartition;
    private final ScheduledExecutorService retries;
    private final Map<Integer, Integer> coordinatorEpochs = new ConcurrentHashMap<>();
    private final Map<Integer, BrokerChannel<PendingMarker>> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param listener             the inter-broker listener, whose endpoints remote leaders are reached on
     * @param security                  that listener's TLS and SASL login, or {@link InterBrokerSecurity#PLAINTEXT}
     * @param coordinatorPartition the {@code __transaction_state} partition of a transactional id
     */
    public TxnMarkerSender(int localId, String listener, InterBrokerSecurity security, Supplier<MetadataImage> image, LocalMarkers local, Acknowledgements acknowledgements,
                           ToIntFunction<String> coordinatorPartition) {
        this.localId = localId;
        this.listener = listener;
        this.security = security;
        this.image = image;
        this.local = local;
        this.acknowledgements = acknowledgements;
        this.coordinatorPartition = coordinatorPartition;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "runnel-txn-marker-retries");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.retries = timer;
    }

    /** This broker coordinates the transactions of {@code __transaction_state-partition} at {@code coordinatorEpoch}. */
    public void coordinates(int partition, int coordinatorEpoch) {
        coordinatorEpochs.put(partition, coordinatorEpoch);
    }

    /** This broker no longer coordinates {@code __transaction_state-partition}: its markers are dropped. */
    public void resigns(int partition) {
        coordinatorEpochs.remove(partition);
    }

    /** Delivers a marker to every partition of {@code transaction}. */
    public void send(TxnMarkers transaction) {
        for (TopicPartition partition : transaction.partitions()) {
            deliver(new PendingMarker(transaction, partition));
        }
    }

    /** Sends the marker to its partition's leader of this moment, unless it is no longer this broker's to send. */
    void deliver(PendingMarker marker) {
        if (closed || !stillCoordinated(marker.transaction())) {
            return;
        }
        MetadataImage current = image.get();
        Optional<TopicMetadata> topic = current.topic(marker.partition().topic());
        if (topic.isEmpty() || marker.partition().partition() >= topic.get().partitionCount()) {
            // Kafka's rule: a partition with no metadata at all was deleted, and needs no marker.
            log.info("Partition {} of transaction {} no longer exists; no marker is written to it", marker.partition(),
                    marker.transaction().transactionalId());
            acknowledgements.written(marker.transaction(), marker.partition());
            return;
        }
        int leader = topic.get().partition(marker.partition().partition()).leader();
        if (leader == localId) {
            TxnMarkers txn = marker.transaction();
            local.write(marker.partition(), txn.producerId(), txn.producerEpoch(), txn.coordinatorEpoch(), txn.commit(),
                    txn.clientVersion().featureLevel()).whenComplete((error, failure) -> onResult(marker, failure == null ? error : Errors.forException(failure)));
            return;
        }
        Optional<BrokerEndpoint> endpoint = liveEndpoint(current, leader);
        if (endpoint.isEmpty()) {
            retryLater(marker);
            return;
        }
        channels.computeIfAbsent(leader, id -> BrokerChannel.start("runnel-txn-markers", id, "runnel-txn-markers-" + localId,
                MarkerExchange.ANSWER_TIMEOUT_MS, security, new MarkerExchange(id, this))).enqueue(marker, endpoint.get());
    }

    /** The endpoint of {@code brokerId} on the inter-broker listener, while it is registered and unfenced. */
    private Optional<BrokerEndpoint> liveEndpoint(MetadataImage current, int brokerId) {
        if (brokerId == PartitionRegistration.NO_LEADER) {
            return Optional.empty();
        }
        return current.broker(brokerId).filter(broker -> !broker.fenced()).flatMap((BrokerRegistration broker) -> broker.endpoint(listener));
    }

    /** What a leader answered for one marker (Kafka's {@code TransactionMarkerRequestCompletionHandler}). */
    void onResult(PendingMarker marker, Errors error) {
        switch (error) {
            case NONE, UNSUPPORTED_FOR_MESSAGE_FORMAT, UNSUPPORTED_VERSION -> acknowledgements.written(marker.transaction(), marker.partition());
            case INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED ->
                // Another coordinator, or a newer producer epoch, has taken the transaction over; the
                // transaction's other markers meet the same answer, so none of them completes it here.
                log.info("Marker of transaction {} for {} refused with {}: the transaction is no longer this coordinator's to complete",
                        marker.transaction().transactionalId(), marker.partition(), error);
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT,
                 KAFKA_STORAGE_ERROR, NETWORK_EXCEPTION -> retryLater(marker);
            default -> {
                // Kafka treats these as bugs; retrying keeps the transaction completable once fixed.
                log.error("Marker of transaction {} for {} failed with unexpected {}; retrying", marker.transaction().transactionalId(),
                        marker.partition(), error);
                retryLater(marker);
            }
        }
    }

    private void retryLater(PendingMarker marker) {
        if (!closed) {
            retries.schedule(() -> deliver(marker), RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
        }
    }

    private boolean stillCoordinated(TxnMarkers transaction) {
        Integer epoch = coordinatorEpochs.get(coordinatorPartition.applyAsInt(transaction.transactionalId()));
        return epoch != null && epoch == transaction.coordinatorEpoch();
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        channels.values().forEach(BrokerChannel::close);
    }
}
