package io.runnel.storage.cleaner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import io.runnel.storage.txn.AbortedTxn;
import io.runnel.storage.txn.TransactionIndex;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The transactions the cleaner is inside of while it walks a log in offset order, as Kafka's
 * {@code CleanedTransactionMetadata}: it says which data batches belong to an aborted transaction
 * (they are discarded, and their keys never mapped) and which markers may be discarded, and writes
 * the aborts whose markers stay into the cleaned segment's transaction index.
 *
 * <ul>
 *   <li>An ABORT marker stays, and is indexed again, while batches of its transaction were seen in
 *       this pass; otherwise no record of the transaction is left and the marker may go.</li>
 *   <li>A COMMIT marker may go unless batches of its transaction were seen in this pass.</li>
 *   <li>An empty control batch (an earlier cleaning removed its marker) may go; a control batch of
 *       another type stays.</li>
 * </ul>
 * A marker that may go is not dropped at once: the cleaner's filter stamps it with a delete horizon
 * first (see {@link CleanerFilter}).
 *
 * <p>Single-threaded: one per offset-map build, and one carried across the segment groups of a cleaning.
 */
final class CleanedTransactions {
    /** Aborted transactions not reached yet, lowest first offset first. */
    private final PriorityQueue<AbortedTxn> pending = new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
    /** The aborted transaction each producer is inside of, by producer id. */
    private final Map<Long, OngoingAbort> ongoingAborts = new HashMap<>();
    /** Producers inside a transaction that is not aborted, whose batches were seen. */
    private final Set<Long> ongoingCommits = new HashSet<>();
    private TransactionIndex cleanedIndex;

    /**
     * Adds aborted transactions found in the transaction indexes. Finding one twice (the searches of
     * consecutive segments overlap) is harmless: it is reached again while still ongoing.
     */
    void addAborted(List<AbortedTxn> aborted) {
        pending.addAll(aborted);
    }

    /** From now on, the aborts whose markers stay are appended to {@code index} (the segment being written). */
    void indexRetainedAbortsIn(TransactionIndex index) {
        this.cleanedIndex = index;
    }

    /**
     * Reads a data batch.
     *
     * @return true if it belongs to an aborted transaction: it may be discarded and its keys must not be mapped
     */
    boolean onDataBatch(RecordBatch batch) {
        reachAbortsUpTo(batch.lastOffset());
        if (!batch.isTransactional()) {
            return false;
        }
        OngoingAbort abort = ongoingAborts.get(batch.producerId());
        if (abort != null) {
            abort.batchesSeen = true;
            return true;
        }
        ongoingCommits.add(batch.producerId());
        return false;
    }

    /**
     * Reads a control batch, appending a kept ABORT marker's transaction to the cleaned index.
     *
     * @return true if the control batch may be discarded (once its delete horizon has passed)
     */
    boolean onControlBatch(RecordBatch batch) {
        reachAbortsUpTo(batch.lastOffset());
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return true;
        }
        ControlRecordType type = ControlRecordType.parse(records.next().key());
        long producerId = batch.producerId();
        return switch (type) {
            case ABORT -> onAbortMarker(ongoingAborts.remove(producerId));
            case COMMIT -> !ongoingCommits.remove(producerId);
            default -> false;
        };
    }

    private boolean onAbortMarker(OngoingAbort abort) {
        if (abort == null || !abort.batchesSeen) {
            return true;
        }
        if (cleanedIndex != null) {
            try {
                cleanedIndex.append(abort.txn);
            } catch (IOException e) {
                throw new UncheckedIOException("Writing the cleaned transaction index " + cleanedIndex.file() + " failed", e);
            }
        }
        return false;
    }

    /** Enters every aborted transaction that starts at or before {@code offset}. */
    private void reachAbortsUpTo(long offset) {
        while (!pending.isEmpty() && pending.peek().firstOffset() <= offset) {
            AbortedTxn txn = pending.poll();
            ongoingAborts.putIfAbsent(txn.producerId(), new OngoingAbort(txn));
        }
    }

    /** An aborted transaction the walk is inside of, and whether any of its batches was seen in this pass. */
    private static final class OngoingAbort {
        private final AbortedTxn txn;
        private boolean batchesSeen;

        private OngoingAbort(AbortedTxn txn) {
            this.txn = txn;
        }
    }
}
