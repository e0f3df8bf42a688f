package io.runnel.transaction;

import static io.runnel.transaction.TransactionState.*;

import io.runnel.transaction.record.TransactionLogValue;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The state of one transactional id: its producer id and epoch and its current transaction.
 *
 * <p>A change is made in two steps, as Kafka does: a {@code prepare*} method checks the move, sets
 * the pending state and returns the {@link TxnTransition} to write; once the record is written,
 * {@link #completeTransition} applies it (or {@link #clearPending} drops it if the write failed).
 * While a state is pending, the operations answer CONCURRENT_TRANSACTIONS.
 *
 * <p>Not thread-safe: owned by the coordinator's thread.
 */
public final class TransactionMetadata {

    static final long NO_PRODUCER_ID = -1L;
    static final short NO_PRODUCER_EPOCH = -1;

    private final String transactionalId;
    private long producerId;
    private long previousProducerId;
    private long nextProducerId;
    private short producerEpoch;
    private short lastProducerEpoch;
    private int timeoutMs;
    private TransactionState state;
    private final Set<TopicPartition> partitions = new TreeSet<>(TxnTransition.PARTITION_ORDER);
    private long startTimestampMs;
    private long lastUpdateTimestampMs;
    private TransactionVersion clientVersion;
    private TransactionState pendingState;
    /** A fence whose write failed already bumped the epoch; the next fence must not bump it again (KAFKA-9666). */
    private boolean hasFailedEpochFence;

    private TransactionMetadata(String transactionalId, long producerId, long previousProducerId, long nextProducerId,
            short producerEpoch, short lastProducerEpoch, int timeoutMs, TransactionState state, long startTimestampMs,
            long lastUpdateTimestampMs, TransactionVersion clientVersion) {
        this.transactionalId = transactionalId;
        this.producerId = producerId;
        this.previousProducerId = previousProducerId;
        this.nextProducerId = nextProducerId;
        this.producerEpoch = producerEpoch;
        this.lastProducerEpoch = lastProducerEpoch;
        this.timeoutMs = timeoutMs;
        this.state = state;
        this.startTimestampMs = startTimestampMs;
        this.lastUpdateTimestampMs = lastUpdateTimestampMs;
        this.clientVersion = clientVersion;
    }

    /** A transactional id seen for the first time: a fresh producer id, no epoch yet. */
    static TransactionMetadata create(String transactionalId, long producerId, int timeoutMs, long nowMs) {
        return new TransactionMetadata(transactionalId, producerId, NO_PRODUCER_ID, NO_PRODUCER_ID, NO_PRODUCER_EPOCH,
                NO_PRODUCER_EPOCH, timeoutMs, EMPTY, -1, nowMs, TransactionVersion.TV_0);
    }

    /**
     * The metadata a {@code __transaction_state} value describes. The last epoch is not persisted, so
     * it is unknown (-1): an InitProducerId retry that spans a coordinator move is fenced, as in Kafka.
     */
    static TransactionMetadata fromLog(String transactionalId, TransactionLogValue value) {
        TransactionMetadata metadata = new TransactionMetadata(transactionalId, value.producerId(), value.previousProducerId(),
                value.nextProducerId(), value.producerEpoch(), NO_PRODUCER_EPOCH, value.transactionTimeoutMs(),
                TransactionState.fromId(value.status()), value.startTimestampMs(), value.lastUpdateTimestampMs(),
                TransactionVersion.fromFeatureLevel(value.clientTransactionVersion()));
        if (metadata.state != EMPTY && value.partitions() != null) {
            metadata.partitions.addAll(value.partitions());
        }
        return metadata;
    }

    /** Kafka keeps the last two epochs for fencing: a client never gets an epoch of 32767 or more. */
    static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    // ---- preparing changes ------------------------------------------------------------------

    /** Fences the producer of the ongoing transaction: the epoch goes up by one, at most to 32767. */
    TxnTransition prepareFenceProducerEpoch() {
        boolean bump = !hasFailedEpochFence && producerEpoch != Short.MAX_VALUE;
        short fencedEpoch = bump ? (short) (producerEpoch + 1) : producerEpoch;
        return prepare(PREPARE_EPOCH_FENCE, producerId, NO_PRODUCER_ID, fencedEpoch, NO_PRODUCER_EPOCH, timeoutMs, partitions,
                startTimestampMs, lastUpdateTimestampMs, clientVersion);
    }

    /**
     * InitProducerId on an idle id: the next epoch (KIP-360/588 when the client names the epoch it
     * had).
     *
     * @param expectedEpoch the client's epoch, or null when it names none
     * @throws TxnError PRODUCER_FENCED when the expected epoch is neither the current nor the last one
     */
    TxnTransition prepareIncrementProducerEpoch(int newTimeoutMs, Short expectedEpoch, long nowMs) {
        if (isEpochExhausted(producerEpoch)) {
            throw new IllegalStateException("no epoch left for producer id " + producerId + " of " + transactionalId);
        }
        short bumped = (short) (producerEpoch + 1);
        short nextEpoch;
        short lastEpoch;
        if (expectedEpoch == null) {
            nextEpoch = bumped;
            lastEpoch = NO_PRODUCER_EPOCH;
        } else if (producerEpoch == NO_PRODUCER_EPOCH || expectedEpoch == producerEpoch) {
            // The client recovers from an error and no other producer took over: bump, remember the old epoch.
            nextEpoch = bumped;
            lastEpoch = producerEpoch;
        } else if (expectedEpoch == lastProducerEpoch) {
            // A retry of a bump whose answer was lost: hand back the current epoch.
            nextEpoch = producerEpoch;
            lastEpoch = lastProducerEpoch;
        } else {
            throw new TxnError(Errors.PRODUCER_FENCED);
        }
        return prepare(EMPTY, producerId, NO_PRODUCER_ID, nextEpoch, lastEpoch, newTimeoutMs, Set.of(), -1, nowMs, clientVersion);
    }

    /** InitProducerId when the epoch is exhausted: a new producer id at epoch 0. */
    TxnTransition prepareProducerIdRotation(long newProducerId, int newTimeoutMs, long nowMs, boolean recordLastEpoch) {
        if (state == ONGOING || state.isPrepare()) {
            throw new IllegalStateException("cannot rotate the producer id of " + transactionalId + " in " + state);
        }
        return prepare(EMPTY, newProducerId, NO_PRODUCER_ID, (short) 0, recordLastEpoch ? producerEpoch : NO_PRODUCER_EPOCH,
                newTimeoutMs, Set.of(), -1, nowMs, clientVersion);
    }

    /** AddPartitionsToTxn: Ongoing with the union of partitions; a new transaction starts now. */
    TxnTransition prepareAddPartitions(Collection<TopicPartition> added, long nowMs, TransactionVersion requestVersion) {
        long start = state == EMPTY || state.isComplete() ? nowMs : startTimestampMs;
        Set<TopicPartition> union = new TreeSet<>(TxnTransition.PARTITION_ORDER);
        union.addAll(partitions);
        union.addAll(added);
        return prepare(ONGOING, producerId, NO_PRODUCER_ID, producerEpoch, lastProducerEpoch, timeoutMs, union, start, nowMs,
                requestVersion);
    }

    /**
     * EndTxn: PrepareCommit or PrepareAbort. Transaction version 2 bumps the epoch (never past 32767);
     * an abort without partitions starts its transaction now.
     */
    TxnTransition prepareAbortOrCommit(TransactionState prepareState, TransactionVersion requestVersion, long newNextProducerId,
            long nowMs, boolean noPartitionAdded) {
        short epoch = producerEpoch;
        short lastEpoch = lastProducerEpoch;
        if (requestVersion.supportsEpochBump()) {
            epoch = producerEpoch == Short.MAX_VALUE && prepareState == PREPARE_ABORT ? producerEpoch : (short) (producerEpoch + 1);
            lastEpoch = producerEpoch;
        }
        return prepare(prepareState, producerId, newNextProducerId, epoch, lastEpoch, timeoutMs, partitions,
                noPartitionAdded ? nowMs : startTimestampMs, nowMs, requestVersion);
    }

    /** CompleteCommit or CompleteAbort, once every marker is written; switches to the next producer id if one was taken. */
    TxnTransition prepareComplete(long nowMs) {
        // The Prepare record is written: a fence that failed before no longer matters.
        hasFailedEpochFence = false;
        boolean rotate = clientVersion.supportsEpochBump() && nextProducerId != NO_PRODUCER_ID;
        return prepare(state == PREPARE_COMMIT ? COMPLETE_COMMIT : COMPLETE_ABORT, rotate ? nextProducerId : producerId,
                NO_PRODUCER_ID, rotate ? 0 : producerEpoch, lastProducerEpoch, timeoutMs, Set.of(), startTimestampMs, nowMs,
                clientVersion);
    }

    /** Expiry: the id is removed once its tombstone is written. */
    TxnTransition prepareDead() {
        return prepare(DEAD, producerId, nextProducerId, producerEpoch, lastProducerEpoch, timeoutMs, Set.of(), startTimestampMs,
                lastUpdateTimestampMs, clientVersion);
    }

    private TxnTransition prepare(TransactionState target, long newProducerId, long newNextProducerId, short epoch,
            short lastEpoch, int newTimeoutMs, Set<TopicPartition> newPartitions, long start, long lastUpdate,
            TransactionVersion version) {
        if (pendingState != null) {
            throw new IllegalStateException(transactionalId + " prepares " + target + " while " + pendingState + " is pending");
        }
        if (newProducerId < 0) {
            throw new IllegalArgumentException("illegal producer id " + newProducerId);
        }
        if (target != DEAD && epoch < 0) {
            throw new IllegalArgumentException("illegal producer epoch " + epoch);
        }
        if (!target.validPreviousStates().contains(state)) {
            throw new IllegalStateException(transactionalId + " cannot move from " + state + " to " + target);
        }
        pendingState = target;
        return new TxnTransition(newProducerId, producerId, newNextProducerId, epoch, lastEpoch, newTimeoutMs, target,
                newPartitions, start, lastUpdate, version);
    }

    // ---- applying changes ---------------------------------------------------------------------

    /**
     * Applies a transition whose record is written: the metadata becomes the transition, as in Kafka
     * 4.3.1, so that it equals what a reload of the log gives. Its consistency with the current state
     * is checked first, as Kafka's {@code completeTransitionTo} does; a mismatch is a bug, not a
     * client error.
     */
    void completeTransition(TxnTransition t) {
        if (pendingState == null || pendingState != t.state()) {
            throw failure(t);
        }
        boolean consistent = switch (t.state()) {
            // InitProducerId: the same epoch (a retry), the next one, or 0 with a new producer id.
            case EMPTY -> (t.producerEpoch() == producerEpoch || t.producerEpoch() == producerEpoch + 1
                    || (t.producerEpoch() == 0 && t.producerId() != producerId))
                    && t.partitions().isEmpty() && t.startTimestampMs() == -1;
            case ONGOING -> sameProducer(t) && t.partitions().containsAll(partitions) && t.timeoutMs() == timeoutMs;
            case PREPARE_COMMIT, PREPARE_ABORT -> (t.clientVersion().supportsEpochBump()
                    ? t.lastProducerEpoch() == producerEpoch && t.producerId() == producerId
                    : sameProducer(t))
                    && Set.copyOf(partitions).equals(t.partitions()) && t.timeoutMs() == timeoutMs;
            case COMPLETE_COMMIT, COMPLETE_ABORT -> (sameProducer(t)
                    || (t.producerEpoch() == 0 && t.producerId() == nextProducerId && t.previousProducerId() == producerId))
                    && t.timeoutMs() == timeoutMs && t.startTimestampMs() != -1;
            case PREPARE_EPOCH_FENCE, DEAD -> false;
        };
        if (!consistent) {
            throw failure(t);
        }
        producerId = t.producerId();
        previousProducerId = t.previousProducerId();
        nextProducerId = t.nextProducerId();
        producerEpoch = t.producerEpoch();
        lastProducerEpoch = t.lastProducerEpoch();
        timeoutMs = t.timeoutMs();
        partitions.clear();
        partitions.addAll(t.partitions());
        startTimestampMs = t.startTimestampMs();
        lastUpdateTimestampMs = t.lastUpdateTimestampMs();
        clientVersion = t.clientVersion();
        pendingState = null;
        state = t.state();
    }

    private boolean sameProducer(TxnTransition t) {
        return t.producerId() == producerId && t.producerEpoch() == producerEpoch;
    }

    private IllegalStateException failure(TxnTransition t) {
        return new IllegalStateException(this + " cannot complete the transition to " + t);
    }

    /** The write of the pending transition failed: nothing changes and the id is free again. */
    void clearPending() {
        pendingState = null;
    }

    /**
     * The abort that follows a fence replaces the fence's pending state. Under transaction version 1
     * the fenced epoch is taken at once (the abort does not bump); version 2's abort bumps by itself.
     */
    void replaceFenceWithAbort(short fencedEpoch, boolean takeFencedEpoch) {
        pendingState = null;
        if (takeFencedEpoch) {
            producerEpoch = fencedEpoch;
            lastProducerEpoch = NO_PRODUCER_EPOCH;
        }
    }

    void markFailedEpochFence() {
        hasFailedEpochFence = true;
    }

    /** A partition has its marker: it no longer holds the transaction open. */
    void removePartition(TopicPartition partition) {
        if (!state.isPrepare()) {
            throw new IllegalStateException("marker for " + partition + " of " + transactionalId + " in " + state);
        }
        partitions.remove(partition);
    }

    // ---- reading ----------------------------------------------------------------------------

    public String transactionalId() {
        return transactionalId;
    }

    public long producerId() {
        return producerId;
    }

    public long previousProducerId() {
        return previousProducerId;
    }

    public long nextProducerId() {
        return nextProducerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    public short lastProducerEpoch() {
        return lastProducerEpoch;
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    public TransactionState state() {
        return state;
    }

    /** The partitions in the transaction (in Prepare*, those still without a marker), sorted. */
    public Set<TopicPartition> partitions() {
        return Set.copyOf(partitions);
    }

    public long startTimestampMs() {
        return startTimestampMs;
    }

    public long lastUpdateTimestampMs() {
        return lastUpdateTimestampMs;
    }

    public TransactionVersion clientVersion() {
        return clientVersion;
    }

    /** The state being written, or null when no change is pending. */
    public TransactionState pendingState() {
        return pendingState;
    }

    public boolean hasPendingTransition() {
        return pendingState != null;
    }

    boolean hasFailedEpochFence() {
        return hasFailedEpochFence;
    }

    boolean isProducerEpochExhausted() {
        return isEpochExhausted(producerEpoch);
    }

    /** What survives a reload from the log: everything but the pending state, the last epoch and the fence flag. */
    public PersistedView persistedView() {
        return new PersistedView(producerId, previousProducerId, nextProducerId, producerEpoch, timeoutMs, state, partitions(),
                startTimestampMs, lastUpdateTimestampMs, clientVersion);
    }

    /** The persisted part of a transactional id's state, comparable between a live coordinator and a reloaded one. */
    public record PersistedView(long producerId, long previousProducerId, long nextProducerId, short producerEpoch,
            int timeoutMs, TransactionState state, Set<TopicPartition> partitions, long startTimestampMs,
            long lastUpdateTimestampMs, TransactionVersion clientVersion) {
    }

    @Override
    public String toString() {
        return "TransactionMetadata(" + transactionalId + ", producer " + producerId + "/" + producerEpoch + ", last epoch "
                + lastProducerEpoch + ", previous " + previousProducerId + ", next " + nextProducerId + ", " + state
                + (pendingState == null ? "" : " -> " + pendingState) + ", partitions " + partitions + ", timeout " + timeoutMs
                + ", start " + startTimestampMs + ", updated " + lastUpdateTimestampMs + ", " + clientVersion + ")";
    }
}
