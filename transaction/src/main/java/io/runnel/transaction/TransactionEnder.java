package io.runnel.transaction;

import static io.runnel.transaction.TransactionState.*;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Ends transactions: EndTxn from clients, and the aborts the coordinator starts itself (a fencing
 * InitProducerId, a timeout). Writes PrepareX, hands out the markers, and writes CompleteX once every
 * marker is written. Protocol 1 (transaction version 0/1) and 2 follow Kafka 4.3.1's separate rules.
 * Not thread-safe: owned by the coordinator's thread.
 */
final class TransactionEnder {

    /** A CompleteX prepared when its PrepareX became durable, waiting for the markers. */
    private record PendingCompletion(int coordinatorEpoch, TxnTransition transition) {
    }

    private final TransactionCache cache;
    private final TransitionWriter writer;
    private final ProducerIds producerIds;
    private final Map<String, PendingCompletion> completions = new HashMap<>();
    /** Ids whose CompleteX is being written, so that a duplicate acknowledgement does not write it twice. */
    private final Set<String> writing = new HashSet<>();

    TransactionEnder(TransactionCache cache, TransitionWriter writer, ProducerIds producerIds) {
        this.cache = cache;
        this.writer = writer;
        this.producerIds = producerIds;
    }

    /**
     * Ends the id's transaction.
     *
     * @param fromClient false for the abort that follows a fence: its epoch is the fenced one
     */
    CoordinatorResult<ProducerAnswer> endTransaction(TransactionMetadata metadata, int coordinatorEpoch, long producerId,
            short producerEpoch, boolean commit, TransactionVersion version, boolean fromClient, long nowMs) {
        try {
            TxnTransition prepare = version.supportsEpochBump()
                    ? checkV2(metadata, producerId, producerEpoch, commit, version, fromClient, nowMs)
                    : checkV1(metadata, producerId, producerEpoch, commit, version, fromClient, nowMs);
            if (prepare == null) {
                // A retry of an EndTxn that already completed: the answer names the current producer.
                return CoordinatorResult.answer(ProducerAnswer.ok(metadata.producerId(), metadata.producerEpoch()));
            }
            boolean isEpochFence = !fromClient;
            return writer.write(metadata.transactionalId(), coordinatorEpoch, prepare,
                    (error, now) -> afterPrepare(metadata.transactionalId(), coordinatorEpoch, producerId, producerEpoch, commit,
                            version, isEpochFence, error, now));
        } catch (TxnError e) {
            return CoordinatorResult.answer(ProducerAnswer.of(e.error()));
        }
    }

    /** Protocol 1: the epoch is unchanged; a client must name the current one. Null means "already done". */
    private TxnTransition checkV1(TransactionMetadata metadata, long producerId, short producerEpoch, boolean commit,
            TransactionVersion version, boolean fromClient, long nowMs) {
        boolean isEpochFence = metadata.pendingState() == PREPARE_EPOCH_FENCE;
        if (metadata.producerId() != producerId) {
            throw new TxnError(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean validEpoch = (!fromClient || producerEpoch == metadata.producerEpoch()) && producerEpoch >= metadata.producerEpoch();
        if (!validEpoch) {
            throw new TxnError(Errors.PRODUCER_FENCED);
        }
        if (metadata.hasPendingTransition() && !isEpochFence) {
            throw new TxnError(Errors.CONCURRENT_TRANSACTIONS);
        }
        return switch (metadata.state()) {
            case ONGOING -> {
                if (!commit && isEpochFence) {
                    metadata.replaceFenceWithAbort(producerEpoch, true);
                }
                yield metadata.prepareAbortOrCommit(commit ? PREPARE_COMMIT : PREPARE_ABORT, version,
                        TransactionMetadata.NO_PRODUCER_ID, nowMs, false);
            }
            case COMPLETE_COMMIT -> sameOutcome(commit);
            case COMPLETE_ABORT -> sameOutcome(!commit);
            case PREPARE_COMMIT -> throw new TxnError(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
            case PREPARE_ABORT -> throw new TxnError(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
            case EMPTY -> throw new TxnError(Errors.INVALID_TXN_STATE);
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException(metadata + " is in a state no record holds");
        };
    }

    /** Null (answer NONE) when the request repeats the outcome of the completed transaction. */
    private static TxnTransition sameOutcome(boolean same) {
        if (!same) {
            throw new TxnError(Errors.INVALID_TXN_STATE);
        }
        return null;
    }

    /**
     * Protocol 2: every EndTxn bumps the epoch, so a retry names the epoch before the bump. Kafka
     * 4.3.1 checks a pending change first (KAFKA-18464), then the producer id, then the epoch.
     */
    private TxnTransition checkV2(TransactionMetadata metadata, long producerId, short producerEpoch, boolean commit,
            TransactionVersion version, boolean fromClient, long nowMs) {
        boolean isEpochFence = metadata.pendingState() == PREPARE_EPOCH_FENCE;
        boolean retryOnOverflow = !isEpochFence && metadata.previousProducerId() == producerId
                && producerEpoch == Short.MAX_VALUE - 1 && metadata.producerEpoch() == 0;
        boolean retryOnEpochBump = !isEpochFence && metadata.producerEpoch() == producerEpoch + 1;
        boolean current = producerEpoch == metadata.producerEpoch();
        boolean validEpoch = isEpochFence
                ? (!fromClient || current) && producerEpoch >= metadata.producerEpoch()
                : switch (metadata.state()) {
                    case ONGOING, EMPTY, DEAD, PREPARE_EPOCH_FENCE -> current;
                    case PREPARE_COMMIT, PREPARE_ABORT -> retryOnEpochBump;
                    case COMPLETE_COMMIT, COMPLETE_ABORT -> retryOnEpochBump || retryOnOverflow || current;
                };
        boolean isRetry = retryOnEpochBump || retryOnOverflow;
        if (metadata.hasPendingTransition() && !isEpochFence) {
            throw new TxnError(Errors.CONCURRENT_TRANSACTIONS);
        }
        if (metadata.producerId() != producerId && !retryOnOverflow) {
            throw new TxnError(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        if (!validEpoch) {
            throw new TxnError(Errors.PRODUCER_FENCED);
        }
        return switch (metadata.state()) {
            case ONGOING -> prepareV2(metadata, commit ? PREPARE_COMMIT : PREPARE_ABORT, version, isEpochFence, false, nowMs);
            case COMPLETE_COMMIT -> {
                if (commit) {
                    yield sameOutcome(isRetry);
                }
                if (isRetry) {
                    throw new TxnError(Errors.INVALID_TXN_STATE);
                }
                yield prepareV2(metadata, PREPARE_ABORT, version, isEpochFence, true, nowMs);
            }
            case COMPLETE_ABORT -> {
                if (commit) {
                    throw new TxnError(Errors.INVALID_TXN_STATE);
                }
                yield isRetry ? null : prepareV2(metadata, PREPARE_ABORT, version, isEpochFence, true, nowMs);
            }
            case PREPARE_COMMIT -> throw new TxnError(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
            case PREPARE_ABORT -> throw new TxnError(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
            case EMPTY -> {
                if (commit) {
                    throw new TxnError(Errors.INVALID_TXN_STATE);
                }
                // An abort with no partition is legal under protocol 2: the client may not know it added none.
                yield prepareV2(metadata, PREPARE_ABORT, version, isEpochFence, true, nowMs);
            }
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException(metadata + " is in a state no record holds");
        };
    }

    /** PrepareX with the epoch bump; an exhausted epoch takes the next producer id now, used from CompleteX on (KAFKA-20090). */
    private TxnTransition prepareV2(TransactionMetadata metadata, TransactionState prepareState, TransactionVersion version,
            boolean isEpochFence, boolean noPartitionAdded, long nowMs) {
        long nextProducerId = TransactionMetadata.NO_PRODUCER_ID;
        if (metadata.isProducerEpochExhausted()) {
            try {
                nextProducerId = producerIds.nextProducerId();
            } catch (ApiException e) {
                throw new TxnError(Errors.forException(e));
            }
        }
        if (prepareState == PREPARE_ABORT && isEpochFence) {
            // The abort bumps the epoch itself: the fence's epoch is not taken too (no second bump).
            metadata.replaceFenceWithAbort(metadata.producerEpoch(), false);
        }
        return metadata.prepareAbortOrCommit(prepareState, version, nextProducerId, nowMs, noPartitionAdded);
    }

    /**
     * PrepareX is written (or not). When it is, the decision is durable: answer NONE, prepare CompleteX
     * and hand out the markers.
     */
    private CoordinatorResult.Outcome<ProducerAnswer> afterPrepare(String transactionalId, int coordinatorEpoch, long producerId,
            short producerEpoch, boolean commit, TransactionVersion version, boolean isEpochFence, Errors error, long nowMs) {
        TransactionMetadata metadata = cache.getIfOwnedAt(transactionalId, coordinatorEpoch);
        if (error != Errors.NONE) {
            if (isEpochFence && metadata != null) {
                metadata.markFailedEpochFence();
            }
            return CoordinatorResult.Outcome.of(ProducerAnswer.of(error));
        }
        Errors check = checkPrepared(metadata, producerId, producerEpoch, commit, version);
        if (check != Errors.NONE) {
            return CoordinatorResult.Outcome.of(ProducerAnswer.of(check));
        }
        TxnTransition complete = metadata.prepareComplete(nowMs);
        completions.put(transactionalId, new PendingCompletion(coordinatorEpoch, complete));
        TxnMarkers markers = new TxnMarkers(transactionalId, coordinatorEpoch, commit, metadata.producerId(),
                metadata.producerEpoch(), metadata.partitions(), metadata.clientVersion());
        return new CoordinatorResult.Outcome<>(ProducerAnswer.ok(complete.producerId(), complete.producerEpoch()), List.of(markers));
    }

    private static Errors checkPrepared(TransactionMetadata metadata, long producerId, short producerEpoch, boolean commit,
            TransactionVersion version) {
        if (metadata == null) {
            return Errors.NOT_COORDINATOR;
        }
        if (metadata.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        boolean epochMatches = metadata.producerEpoch() == producerEpoch
                || (version.supportsEpochBump() && metadata.producerEpoch() == producerEpoch + 1);
        if (!epochMatches) {
            return Errors.PRODUCER_FENCED;
        }
        if (metadata.hasPendingTransition()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        TransactionState expected = commit ? PREPARE_COMMIT : PREPARE_ABORT;
        return metadata.state() == expected ? Errors.NONE : Errors.INVALID_TXN_STATE;
    }

    /**
     * After loading: every transaction in PrepareX has its decision persisted but maybe not all its
     * markers, so CompleteX is prepared and the markers are sent again (partition leaders ignore duplicates).
     */
    TxnMarkers resumePrepared(TransactionMetadata metadata, int coordinatorEpoch, long nowMs) {
        boolean commit = metadata.state() == PREPARE_COMMIT;
        completions.put(metadata.transactionalId(), new PendingCompletion(coordinatorEpoch, metadata.prepareComplete(nowMs)));
        return new TxnMarkers(metadata.transactionalId(), coordinatorEpoch, commit, metadata.producerId(), metadata.producerEpoch(),
                metadata.partitions(), metadata.clientVersion());
    }

    /**
     * A partition leader answered the marker request for one partition. A written marker (NONE) takes
     * the partition out of the transaction; any other error leaves it for the sender to retry.
     *
     * @return the CompleteX write once no partition is left, else nothing to write
     */
    CoordinatorResult<Errors> onMarkerWritten(String transactionalId, int coordinatorEpoch, TopicPartition partition,
            Errors markerError, long nowMs) {
        if (cache.getIfOwnedAt(transactionalId, coordinatorEpoch) == null) {
            return CoordinatorResult.answer(Errors.NOT_COORDINATOR);
        }
        PendingCompletion pending = completions.get(transactionalId);
        if (pending == null || pending.coordinatorEpoch() != coordinatorEpoch || markerError != Errors.NONE) {
            // A late duplicate of an acknowledgement, or a failed marker the sender retries.
            return CoordinatorResult.answer(markerError);
        }
        cache.get(transactionalId).removePartition(partition);
        return writeCompletion(transactionalId, coordinatorEpoch, nowMs);
    }

    /**
     * The CompleteX write, once every marker is written: also to retry one that failed with
     * COORDINATOR_NOT_AVAILABLE. Answers NONE without a write while partitions still wait for
     * markers or the write is already under way.
     */
    CoordinatorResult<Errors> writeCompletion(String transactionalId, int coordinatorEpoch, long nowMs) {
        TransactionMetadata metadata = cache.getIfOwnedAt(transactionalId, coordinatorEpoch);
        if (metadata == null) {
            return CoordinatorResult.answer(Errors.NOT_COORDINATOR);
        }
        PendingCompletion pending = completions.get(transactionalId);
        if (pending == null || pending.coordinatorEpoch() != coordinatorEpoch || !metadata.partitions().isEmpty()
                || !writing.add(transactionalId)) {
            return CoordinatorResult.answer(Errors.NONE);
        }
        return writer.write(transactionalId, coordinatorEpoch, pending.transition(), (error, now) -> {
            writing.remove(transactionalId);
            if (error != Errors.COORDINATOR_NOT_AVAILABLE) {
                // Done, or given up: a new leader of the partition resumes the transaction from its log.
                completions.remove(transactionalId, pending);
            }
            return CoordinatorResult.Outcome.of(error);
        });
    }

    /** The partition is no longer led here: its completions are the new leader's. */
    void unload(int partition) {
        completions.keySet().removeIf(id -> cache.partitionFor(id) == partition);
        writing.removeIf(id -> cache.partitionFor(id) == partition);
    }

    /** Whether a CompleteX waits for markers (tests and invariants). */
    boolean awaitsMarkers(String transactionalId) {
        return completions.containsKey(transactionalId);
    }
}
