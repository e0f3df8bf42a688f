package io.runnel.broker.txn;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.coordinator.CoordinatorLogWriter;
import io.runnel.broker.coordinator.CoordinatorRuntime;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.broker.coordinator.InternalTopic;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.partition.Purgatory;
import io.runnel.coordinator.runtime.Appended;
import io.runnel.coordinator.runtime.CoordinatorEventLoop;
import io.runnel.coordinator.runtime.CoordinatorKeys;
import io.runnel.coordinator.runtime.CoordinatorRecord;
import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.transaction.CoordinatorResult;
import io.runnel.transaction.TransactionConfig;
import io.runnel.transaction.TransactionCoordinator;
import io.runnel.transaction.TransactionVersion;
import io.runnel.transaction.TxnMarkers;
import io.runnel.transaction.record.TransactionLogSerde;
import io.runnel.transaction.record.TransactionRecord;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import io.runnel.metadata.MetadataImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator as the request handlers use it: the shared {@link CoordinatorRuntime}
 * over {@code __transaction_state} loads and unloads its partitions; operations run on its one
 * thread. Unlike the group coordinator, a change is applied only once its record is replicated, and
 * the answer is given then (Kafka's {@code appendTransactionToLog}): until then the id answers
 * CONCURRENT_TRANSACTIONS. Thread-safe.
 */
public final class TransactionCoordinatorRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinatorRuntime.class);

    /** How long an answer waits for its record to be replicated (Kafka's {@code request.timeout.ms} default). */
    static final long REPLICATION_TIMEOUT_MS = 30_000;

    private final InternalTopic topic;
    private final int partitionCount;
    private final CoordinatorEventLoop loop;
    private final TransactionCoordinator coordinator;
    private final CoordinatorLogWriter writer;
    private final CoordinatorRuntime<TransactionShard> runtime;
    private final ExecutorService producerIdReserver;
    private final TxnMarkerSender markers;
    private final TxnPartitionVerifier partitionVerifier;

    /**
     * How this broker reaches the others for transactions: markers of partitions it ({@code localId})
     * leads are written through {@code local}; other markers, and partition verifications, are sent to
     * brokers' endpoints on {@code listener}, as the metadata {@code image} of the moment names them.
     */
    public record MarkerRoutes(int localId, String listener, InterBrokerSecurity security, Supplier<MetadataImage> image, TxnMarkerSender.LocalMarkers local) {
    }

    private TransactionCoordinatorRuntime(InternalTopic topic, int partitionCount, CoordinatorEventLoop loop, TransactionCoordinator coordinator,
                                          CoordinatorLogWriter writer, ExecutorService producerIdReserver, MarkerRoutes routes) {
        this.topic = topic;
        this.producerIdReserver = producerIdReserver;
        this.partitionCount = partitionCount;
        this.loop = loop;
        this.coordinator = coordinator;
        this.writer = writer;
        this.markers = new TxnMarkerSender(routes.localId(), routes.listener(), routes.security(), routes.image(), routes.local(), this::onMarkerWritten,
                this::partitionFor);
        this.partitionVerifier = new TxnPartitionVerifier(routes.localId(), routes.listener(), routes.security(), routes.image());
        this.runtime = new CoordinatorRuntime<>(topic, loop, new TransactionShard(coordinator, loop, this::sendMarkers, markers), writer);
    }

    /**
     * Starts the coordinator thread and returns at once; the partitions of {@code __transaction_state}
     * this broker leads load on that thread.
     *
     * @param producerIds asked without blocking ({@link ProducerIdManager#tryNextProducerId}): the
     *                    coordinator thread never waits for the controller; blocks are reserved on a
     *                    thread of this runtime's, and meanwhile the coordinator answers COORDINATOR_LOAD_IN_PROGRESS
     */
    public static TransactionCoordinatorRuntime start(BrokerConfig.TransactionSettings settings, InternalTopic topic, PartitionRegistry partitions,
                                                      Purgatory replicated, ProducerIdManager producerIds, MarkerRoutes routes, Clock clock) {
        ExecutorService reserver = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "runnel-producer-id-reserver");
            thread.setDaemon(true);
            return thread;
        });
        CoordinatorEventLoop loop = new CoordinatorEventLoop(clock, "runnel-transaction-coordinator");
        CoordinatorLogWriter writer = new CoordinatorLogWriter(topic, clock, replicated, REPLICATION_TIMEOUT_MS);
        // No feature level is finalized yet (piece 9): transaction.version 0, as a Kafka cluster without it.
        TransactionCoordinator coordinator = new TransactionCoordinator(
                new TransactionConfig(settings.partitionCount(), settings.maxTimeoutMs(), settings.transactionalIdExpirationMs()),
                () -> producerIds.tryNextProducerId(reserver), TransactionVersion.TV_0);
        TransactionCoordinatorRuntime transactions = new TransactionCoordinatorRuntime(topic, settings.partitionCount(), loop, coordinator, writer,
                reserver, routes);
        transactions.runtime.start(partitions);
        transactions.every("abort-timed-out-transactions", settings.abortTimedOutIntervalMs(),
                () -> coordinator.abortTimedOut(loop.nowMs()).forEach(transactions::performUnanswered));
        transactions.every("remove-expired-transactional-ids", settings.removeExpiredIntervalMs(),
                () -> coordinator.expireTransactionalIds(loop.nowMs()).forEach(transactions::performUnanswered));
        return transactions;
    }

    /**
     * Runs {@code task} on the coordinator thread every {@code intervalMs} (Kafka's
     * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} and
     * {@code transaction.remove.expired.transaction.cleanup.interval.ms}); it works only on the
     * partitions loaded here.
     */
    private void every(String key, long intervalMs, Runnable task) {
        loop.schedule(key, intervalMs, () -> {
            try {
                task.run();
            } finally {
                every(key, intervalMs, task);
            }
        });
    }

    /** On the coordinator thread: a write the coordinator started itself, which no client waits for. */
    private <T> void performUnanswered(CoordinatorResult<T> result) {
        perform(result, new CompletableFuture<>());
    }

    /** Creates {@code __transaction_state} unless it exists (FindCoordinator does this, as in Kafka). */
    public void ensureTopic() {
        topic.ensureExists();
    }

    /** The {@code __transaction_state} partition of a transactional id (Kafka's hash of the id). */
    public int partitionFor(String transactionalId) {
        return CoordinatorKeys.partitionFor(transactionalId, partitionCount);
    }

    /**
     * The cluster's finalized {@code transaction.version} (from the metadata image): the protocol of the
     * coordinator's own aborts and the layout of the records it writes.
     */
    public void onFinalizedTransactionVersion(short level) {
        TransactionVersion version = TransactionVersion.fromFeatureLevel(level);
        loop.execute(() -> coordinator.onFinalizedVersion(version));
    }

    /** What partition leaders ask the coordinators of transactions before a transactional batch opens one (KIP-890). */
    public TxnPartitionVerifier partitionVerifier() {
        return partitionVerifier;
    }

    /** The internal topic's name. */
    public String topicName() {
        return topic.name();
    }

    /** Runs a query on the coordinator thread; it writes nothing. */
    public <T> CompletableFuture<T> read(Function<TransactionCoordinator, T> query) {
        return loop.call(() -> query.apply(coordinator));
    }

    /**
     * Runs {@code operation} on the coordinator thread and, if it has records to write, appends them;
     * the answer comes once they are replicated and the change is applied (or the write failed).
     */
    public <T> CompletableFuture<T> write(BiFunction<TransactionCoordinator, Long, CoordinatorResult<T>> operation) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                perform(operation.apply(coordinator, loop.nowMs()), answer);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** On the coordinator thread. */
    private <T> void perform(CoordinatorResult<T> result, CompletableFuture<T> answer) {
        if (!result.needsWrite()) {
            answer.complete(result.answer());
            return;
        }
        Appended appended;
        try {
            appended = writer.append(result.partition(), result.records().stream().map(TransactionCoordinatorRuntime::serialize).toList());
        } catch (RuntimeException e) {
            complete(result, errorOf(e), answer);
            return;
        }
        writer.awaitReplicated(appended).whenComplete((ignored, error) ->
                loop.execute(() -> complete(result, error == null ? Errors.NONE : errorOf(error), answer)));
    }

    /** On the coordinator thread: applies the change (if written) and answers. */
    private <T> void complete(CoordinatorResult<T> result, Errors writeError, CompletableFuture<T> answer) {
        CoordinatorResult.Outcome<T> outcome = result.complete(writeError, loop.nowMs());
        sendMarkers(outcome.markers());
        answer.complete(outcome.answer());
    }

    /**
     * On the coordinator thread: a PrepareCommit or PrepareAbort is durable, or was found on load; its
     * markers go to the transaction's partitions, after which the coordinator writes CompleteCommit or
     * CompleteAbort. A transaction with no partition (an abort with nothing added) completes at once.
     */
    private void sendMarkers(List<TxnMarkers> prepared) {
        for (TxnMarkers transaction : prepared) {
            if (transaction.partitions().isEmpty()) {
                writeCompletion(transaction);
            } else {
                markers.send(transaction);
            }
        }
    }

    /** On any thread: one partition of {@code transaction} has its marker. */
    private void onMarkerWritten(TxnMarkers transaction, TopicPartition partition) {
        loop.execute(() -> completeWhenDone(transaction, coordinator.onMarkerWritten(transaction.transactionalId(),
                transaction.coordinatorEpoch(), partition, Errors.NONE, loop.nowMs())));
    }

    /** On the coordinator thread: writes CompleteX of a transaction whose markers are all written. */
    private void writeCompletion(TxnMarkers transaction) {
        completeWhenDone(transaction, coordinator.writeCompletion(transaction.transactionalId(), transaction.coordinatorEpoch(), loop.nowMs()));
    }

    /**
     * Performs a completion step; a CompleteX write that failed with COORDINATOR_NOT_AVAILABLE (too few
     * replicas for a while) is tried again after the marker backoff, as Kafka's completion handler does.
     */
    private void completeWhenDone(TxnMarkers transaction, CoordinatorResult<Errors> step) {
        CompletableFuture<Errors> written = new CompletableFuture<>();
        perform(step, written);
        written.thenAccept(error -> {
            if (error == Errors.COORDINATOR_NOT_AVAILABLE) {
                loop.schedule("complete-" + transaction.transactionalId(), TxnMarkerSender.RETRY_BACKOFF_MS, () -> writeCompletion(transaction));
            }
        });
    }

    private static CoordinatorRecord serialize(TransactionRecord record) {
        return new CoordinatorRecord(TransactionLogSerde.serializeKey(record.key()),
                record.isTombstone() ? null : TransactionLogSerde.serializeValue(record));
    }

    /** The Kafka error of a failed append or replication; the coordinator maps it to the client's. */
    private static Errors errorOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        Errors known = Errors.forException(cause);
        if (known == Errors.UNKNOWN_SERVER_ERROR && cause.getCause() != null) {
            return Errors.forException(cause.getCause());
        }
        return known;
    }

    /** Stops the coordinator thread; what it wrote is already in the log. */
    @Override
    public void close() {
        markers.close();
        partitionVerifier.close();
        runtime.close();
        producerIdReserver.shutdownNow();
    }
}
