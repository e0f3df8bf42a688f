package io.runnel.transaction;

import static io.runnel.transaction.TransactionState.*;

import io.runnel.transaction.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Kafka's transaction coordinator as a state machine: every operation takes the request and the
 * current time and returns a {@link CoordinatorResult}, i.e. the records to append to
 * {@code __transaction_state} and the answer to give once they are written. State changes only when
 * a write completes, or on replay of the log when a partition loads, so normal operation and loading
 * share one code path.
 *
 * <p>Not thread-safe: one thread (the coordinator's event loop) calls every method, including the
 * continuations of the results. No method blocks or does I/O.
 */
public final class TransactionCoordinator {

    private final TransactionConfig config;
    private final ProducerIds producerIds;
    private final TransactionCache cache;
    private final TransactionEnder ender;
    private final TransitionWriter writer;
    private final TransactionQueries queries;
    private TransactionVersion finalizedVersion;

    /**
     * @param finalizedVersion the cluster's finalized {@code transaction.version}: it decides the value
     *                         version written and the protocol of the aborts the coordinator starts
     */
    public TransactionCoordinator(TransactionConfig config, ProducerIds producerIds, TransactionVersion finalizedVersion) {
        this.config = config;
        this.producerIds = producerIds;
        this.finalizedVersion = finalizedVersion;
        this.cache = new TransactionCache(config.partitionCount());
        this.writer = new TransitionWriter(cache, () -> this.finalizedVersion);
        this.ender = new TransactionEnder(cache, writer, producerIds);
        this.queries = new TransactionQueries(cache);
    }

    /** The finalized {@code transaction.version} changed (UpdateFeatures, or a newer metadata image). */
    public void onFinalizedVersion(TransactionVersion version) {
        this.finalizedVersion = version;
    }

    /** The {@code __transaction_state} partition of a transactional id. */
    public int partitionFor(String transactionalId) {
        return cache.partitionFor(transactionalId);
    }

    // ---- InitProducerId -------------------------------------------------------------------------

    /**
     * InitProducerId for a transactional producer.
     *
     * @param expectedProducerId    the producer id the client had (KIP-360), or -1
     * @param expectedProducerEpoch its epoch, or -1
     */
    public CoordinatorResult<ProducerAnswer> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
            short expectedProducerEpoch, long nowMs) {
        boolean hasExpectedId = expectedProducerId != TransactionMetadata.NO_PRODUCER_ID;
        boolean hasExpectedEpoch = expectedProducerEpoch != TransactionMetadata.NO_PRODUCER_EPOCH;
        if (transactionalId == null) {
            // Not transactional: a fresh producer id; the broker may as well ask the id source itself.
            try {
                return CoordinatorResult.answer(ProducerAnswer.ok(nextProducerId(), (short) 0));
            } catch (TxnError e) {
                return CoordinatorResult.answer(ProducerAnswer.of(e.error()));
            }
        }
        if (transactionalId.isEmpty() || hasExpectedId != hasExpectedEpoch) {
            return CoordinatorResult.answer(ProducerAnswer.of(Errors.INVALID_REQUEST));
        }
        if (timeoutMs <= 0 || timeoutMs > config.maxTransactionTimeoutMs()) {
            return CoordinatorResult.answer(ProducerAnswer.of(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        try {
            int coordinatorEpoch = cache.coordinatorEpochOf(transactionalId);
            TransactionMetadata metadata = cache.get(transactionalId);
            if (metadata == null) {
                metadata = TransactionMetadata.create(transactionalId, nextProducerId(), timeoutMs, nowMs);
                cache.put(metadata);
            }
            return initExisting(metadata, coordinatorEpoch, timeoutMs, hasExpectedId ? expectedProducerId : null,
                    hasExpectedEpoch ? expectedProducerEpoch : null, nowMs);
        } catch (TxnError e) {
            return CoordinatorResult.answer(ProducerAnswer.of(e.error()));
        }
    }

    private CoordinatorResult<ProducerAnswer> initExisting(TransactionMetadata metadata, int coordinatorEpoch, int timeoutMs,
            Long expectedId, Short expectedEpoch, long nowMs) {
        if (metadata.hasPendingTransition()) {
            throw new TxnError(Errors.CONCURRENT_TRANSACTIONS);
        }
        if (expectedId != null && !isKnownProducer(metadata, expectedId, expectedEpoch)) {
            throw new TxnError(Errors.PRODUCER_FENCED);
        }
        TxnTransition transition;
        switch (metadata.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT -> throw new TxnError(Errors.CONCURRENT_TRANSACTIONS);
            case ONGOING -> {
                return fenceAndAbort(metadata, coordinatorEpoch, nowMs)
                        .map(a -> a.error() == Errors.NONE ? ProducerAnswer.of(Errors.CONCURRENT_TRANSACTIONS) : ProducerAnswer.of(a.error()));
            }
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
                if (metadata.isProducerEpochExhausted() && (expectedEpoch == null || expectedEpoch == metadata.producerEpoch())) {
                    transition = metadata.prepareProducerIdRotation(nextProducerId(), timeoutMs, nowMs, expectedEpoch != null);
                } else {
                    transition = metadata.prepareIncrementProducerEpoch(timeoutMs, expectedEpoch, nowMs);
                }
            }
            default -> throw new IllegalStateException(metadata + " is in a state no record holds");
        }
        return writer.write(metadata.transactionalId(), coordinatorEpoch, transition, (error, now) -> CoordinatorResult.Outcome.of(
                error == Errors.NONE ? ProducerAnswer.ok(transition.producerId(), transition.producerEpoch()) : ProducerAnswer.of(error)));
    }

    /**
     * The producer id a client names is acceptable if the id was just created, it is the current one
     * (the epoch is checked next), or it is the previous one with an exhausted epoch (a retry of the
     * rotation whose answer was lost).
     */
    private static boolean isKnownProducer(TransactionMetadata metadata, long expectedId, short expectedEpoch) {
        return metadata.producerEpoch() == TransactionMetadata.NO_PRODUCER_EPOCH
                || expectedId == metadata.producerId()
                || (expectedId == metadata.previousProducerId() && TransactionMetadata.isEpochExhausted(expectedEpoch));
    }

    /**
     * Fences the producer of an ongoing transaction and aborts it, at the cluster's transaction version.
     * The fenced epoch is never handed out; the client retries and gets the next one.
     */
    private CoordinatorResult<ProducerAnswer> fenceAndAbort(TransactionMetadata metadata, int coordinatorEpoch, long nowMs) {
        TxnTransition fence = metadata.prepareFenceProducerEpoch();
        CoordinatorResult<ProducerAnswer> abort = ender.endTransaction(metadata, coordinatorEpoch, fence.producerId(),
                fence.producerEpoch(), false, finalizedVersion, false, nowMs);
        if (!abort.needsWrite() && metadata.pendingState() == PREPARE_EPOCH_FENCE) {
            // The abort was refused before it replaced the fence (no producer id was available):
            // without this the id would stay pending for ever.
            metadata.clearPending();
        }
        return abort;
    }

    private long nextProducerId() {
        try {
            return producerIds.nextProducerId();
        } catch (ApiException e) {
            throw new TxnError(Errors.forException(e));
        }
    }

    // ---- AddPartitionsToTxn, verification, EndTxn ------------------------------------------------

    /**
     * AddPartitionsToTxn (the client form v0-3, and the broker form v4-5 without {@code verify_only}):
     * the partitions join the transaction. The caller answers unknown partitions itself beforehand.
     *
     * @param requestVersion the client's protocol: the record is written with it
     */
    public CoordinatorResult<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch,
            Collection<TopicPartition> partitions, TransactionVersion requestVersion, long nowMs) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CoordinatorResult.answer(Errors.INVALID_REQUEST);
        }
        try {
            int coordinatorEpoch = cache.coordinatorEpochOf(transactionalId);
            TransactionMetadata metadata = checkProducer(transactionalId, producerId, producerEpoch);
            if (metadata.hasPendingTransition() || metadata.state().isPrepare()) {
                return CoordinatorResult.answer(Errors.CONCURRENT_TRANSACTIONS);
            }
            if (metadata.state() == ONGOING && metadata.partitions().containsAll(partitions)) {
                return CoordinatorResult.answer(Errors.NONE);
            }
            TxnTransition transition = metadata.prepareAddPartitions(partitions, nowMs, requestVersion);
            return writer.write(transactionalId, coordinatorEpoch, transition, (error, now) -> CoordinatorResult.Outcome.of(error));
        } catch (TxnError e) {
            return CoordinatorResult.answer(e.error());
        }
    }

    /**
     * AddPartitionsToTxn v4-5 with {@code verify_only}: whether each partition is in the transaction
     * (a partition leader checks a transactional produce, KIP-890 part 1). Writes nothing; the
     * pending state is not looked at.
     */
    public Map<TopicPartition, Errors> verifyPartitions(String transactionalId, long producerId, short producerEpoch,
            Collection<TopicPartition> partitions) {
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        try {
            if (transactionalId == null || transactionalId.isEmpty()) {
                throw new TxnError(Errors.INVALID_REQUEST);
            }
            cache.coordinatorEpochOf(transactionalId);
            TransactionMetadata metadata = checkProducer(transactionalId, producerId, producerEpoch);
            if (metadata.state().isPrepare()) {
                throw new TxnError(Errors.CONCURRENT_TRANSACTIONS);
            }
            Set<TopicPartition> inTransaction = metadata.partitions();
            partitions.forEach(p -> result.put(p, inTransaction.contains(p) ? Errors.NONE : Errors.TRANSACTION_ABORTABLE));
        } catch (TxnError e) {
            partitions.forEach(p -> result.put(p, e.error()));
        }
        return result;
    }

    private TransactionMetadata checkProducer(String transactionalId, long producerId, short producerEpoch) {
        TransactionMetadata metadata = cache.get(transactionalId);
        if (metadata == null || metadata.producerId() != producerId) {
            throw new TxnError(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        if (metadata.producerEpoch() != producerEpoch) {
            throw new TxnError(Errors.PRODUCER_FENCED);
        }
        return metadata;
    }

    /**
     * EndTxn. Once PrepareX is written the answer is NONE with the producer id and epoch for the next
     * transaction, and the outcome carries the markers to send.
     *
     * @param requestVersion TV_2 for EndTxn v5, else the client's protocol 1 version
     */
    public CoordinatorResult<ProducerAnswer> endTxn(String transactionalId, long producerId, short producerEpoch, boolean commit,
            TransactionVersion requestVersion, long nowMs) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CoordinatorResult.answer(ProducerAnswer.of(Errors.INVALID_REQUEST));
        }
        try {
            int coordinatorEpoch = cache.coordinatorEpochOf(transactionalId);
            TransactionMetadata metadata = cache.get(transactionalId);
            if (metadata == null) {
                return CoordinatorResult.answer(ProducerAnswer.of(Errors.INVALID_PRODUCER_ID_MAPPING));
            }
            return ender.endTransaction(metadata, coordinatorEpoch, producerId, producerEpoch, commit, requestVersion, true, nowMs);
        } catch (TxnError e) {
            return CoordinatorResult.answer(ProducerAnswer.of(e.error()));
        }
    }

    // ---- markers ------------------------------------------------------------------------------

    /**
     * A partition leader answered the marker of one partition of a PrepareX transaction.
     *
     * @return the CompleteX write once the last marker is written; otherwise an answer with nothing to
     *         write (NONE, the marker's error to retry, or NOT_COORDINATOR if the partition moved)
     */
    public CoordinatorResult<Errors> onMarkerWritten(String transactionalId, int coordinatorEpoch, TopicPartition partition,
            Errors markerError, long nowMs) {
        return ender.onMarkerWritten(transactionalId, coordinatorEpoch, partition, markerError, nowMs);
    }

    /** The CompleteX write of a transaction with no marker left to write, or a retry of one that failed. */
    public CoordinatorResult<Errors> writeCompletion(String transactionalId, int coordinatorEpoch, long nowMs) {
        return ender.writeCompletion(transactionalId, coordinatorEpoch, nowMs);
    }

    // ---- timers ---------------------------------------------------------------------------------

    /**
     * Aborts every ongoing transaction, with no change pending, that outlived its timeout: its producer
     * is fenced (Kafka's {@code abortTimedOutTransactions}). One result per transaction.
     */
    public List<CoordinatorResult<ProducerAnswer>> abortTimedOut(long nowMs) {
        List<CoordinatorResult<ProducerAnswer>> aborts = new ArrayList<>();
        for (TransactionMetadata metadata : cache.ownedIds()) {
            if (metadata.state() == ONGOING && !metadata.hasPendingTransition()
                    && metadata.startTimestampMs() + metadata.timeoutMs() < nowMs) {
                aborts.add(fenceAndAbort(metadata, cache.coordinatorEpochOf(metadata.transactionalId()), nowMs));
            }
        }
        return aborts;
    }

    /**
     * Expires the ids idle (Empty or Complete*, nothing pending) since {@code transactional.id.expiration.ms}:
     * one write of tombstones per partition; each id is removed once its tombstone is written.
     */
    public List<CoordinatorResult<Errors>> expireTransactionalIds(long nowMs) {
        List<CoordinatorResult<Errors>> writes = new ArrayList<>();
        cache.ownedPartitions().forEach((partition, coordinatorEpoch) -> {
            List<String> expired = new ArrayList<>();
            for (TransactionMetadata metadata : cache.partitionIds(partition).values()) {
                if (!metadata.hasPendingTransition() && metadata.state().isExpirationAllowed()
                        && metadata.lastUpdateTimestampMs() <= nowMs - config.transactionalIdExpirationMs()) {
                    metadata.prepareDead();
                    expired.add(metadata.transactionalId());
                }
            }
            if (!expired.isEmpty()) {
                writes.add(CoordinatorResult.write(partition, expired.stream().map(TransactionRecord::tombstone).toList(),
                        (error, now) -> afterTombstones(expired, coordinatorEpoch, WriteErrors.toClientError(error))));
            }
        });
        return writes;
    }

    private CoordinatorResult.Outcome<Errors> afterTombstones(List<String> expired, int coordinatorEpoch, Errors error) {
        for (String id : expired) {
            TransactionMetadata metadata = cache.getIfOwnedAt(id, coordinatorEpoch);
            if (metadata != null && metadata.pendingState() == DEAD) {
                if (error == Errors.NONE) {
                    cache.remove(id);
                } else {
                    metadata.clearPending();
                }
            }
        }
        return CoordinatorResult.Outcome.of(error);
    }

    // ---- describe and list ------------------------------------------------------------------------

    /** DescribeTransactions for one id. In Prepare*, the partitions are those still without a marker. */
    public DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        return queries.describe(transactionalId);
    }

    /**
     * ListTransactions over the partitions led here.
     *
     * @param stateFilters      Kafka state names; unknown names are echoed back and match nothing
     * @param producerIdFilters producer ids, empty for all
     * @param durationFilterMs  only transactions running longer than this (v1), -1 for all
     * @param idPattern         a Java regex the whole id must match (v2), null or empty for all
     */
    public ListTransactionsResponseData list(Set<String> stateFilters, Set<Long> producerIdFilters, long durationFilterMs,
            String idPattern, long nowMs) {
        return queries.list(stateFilters, producerIdFilters, durationFilterMs, idPattern, nowMs);
    }

    // ---- loading --------------------------------------------------------------------------------

    /** This broker leads the partition from now on, at this coordinator epoch; its log is replayed next. */
    public void beginLoading(int partition, int coordinatorEpoch) {
        ender.unload(partition);
        cache.beginLoading(partition, coordinatorEpoch);
    }

    /** One record of the partition's log, in log order: the latest value per id wins, a tombstone removes it. */
    public void replay(int partition, TransactionRecord record) {
        Map<String, TransactionMetadata> ids = cache.partitionIds(partition);
        String id = record.key().transactionalId();
        if (record.isTombstone()) {
            ids.remove(id);
        } else {
            ids.put(id, TransactionMetadata.fromLog(id, record.value()));
        }
    }

    /**
     * The log is replayed: the partition answers requests. Transactions found in PrepareX are resumed:
     * their markers are returned to be sent again.
     */
    public List<TxnMarkers> completeLoading(int partition, long nowMs) {
        cache.completeLoading(partition);
        int coordinatorEpoch = cache.ownedPartitions().get(partition);
        List<TxnMarkers> resumed = new ArrayList<>();
        for (TransactionMetadata metadata : cache.partitionIds(partition).values()) {
            if (metadata.state().isPrepare()) {
                resumed.add(ender.resumePrepared(metadata, coordinatorEpoch, nowMs));
            }
        }
        return resumed;
    }

    /** The partition is led elsewhere now: its ids are forgotten; writes under way answer NOT_COORDINATOR. */
    public void unloadPartition(int partition) {
        ender.unload(partition);
        cache.unload(partition);
    }

    // ---- reading, for tests and the runtime -------------------------------------------------------

    /** The metadata of an id led and loaded here, or null. */
    public TransactionMetadata metadata(String transactionalId) {
        try {
            cache.coordinatorEpochOf(transactionalId);
            return cache.get(transactionalId);
        } catch (TxnError e) {
            return null;
        }
    }

    /** The ids led and loaded here, by id. */
    public Map<String, TransactionMetadata> ownedTransactions() {
        Map<String, TransactionMetadata> all = new HashMap<>();
        cache.ownedIds().forEach(m -> all.put(m.transactionalId(), m));
        return all;
    }
}
