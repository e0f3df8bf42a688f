package io.runnel.storage.cleaner;

import java.util.Map;
import java.util.OptionalLong;

import io.runnel.storage.producer.LastRecord;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Which records and batches of a segment group survive cleaning (Kafka's semantics):
 * <ul>
 *   <li>a batch of an aborted transaction loses all its records (see {@link CleanedTransactions});</li>
 *   <li>a marker that {@link CleanedTransactions} says may go is first stamped with a delete horizon
 *       ({@code delete.retention.ms} later, set by {@link MemoryRecords#filterTo} because the result says
 *       {@code containsMarkerForEmptyTxn}), and goes on a later cleaning once that horizon has passed;
 *       any other marker stays;</li>
 *   <li>a data record past the offset map's reach is kept (it was not deduplicated this round);</li>
 *   <li>otherwise a data record is kept only if it is the latest of its key; a record without a key goes;</li>
 *   <li>a tombstone (null value) stays until the delete horizon its batch got when first cleaned has passed;</li>
 *   <li>a batch that loses all its records goes, except the batch holding an active producer's last
 *       record (its last data batch, else its control batches at its current epoch: its sequence numbers
 *       and epoch must survive) and the last batch of the group (so a crash-time swap covers every
 *       replaced segment): those stay as empty batches, which clients skip.</li>
 * </ul>
 * Single-threaded: one per segment group.
 */
final class CleanerFilter extends MemoryRecords.RecordFilter {
    private final OffsetMap map;
    private final Map<Long, LastRecord> lastRecordOfProducer;
    private final CleanedTransactions transactions;
    private final long groupNextOffset;
    private boolean discardBatchRecords;
    private long keylessRecords;

    CleanerFilter(long now, long deleteRetentionMs, OffsetMap map, Map<Long, LastRecord> lastRecordOfProducer,
            CleanedTransactions transactions, long groupNextOffset) {
        super(now, deleteRetentionMs);
        this.map = map;
        this.lastRecordOfProducer = lastRecordOfProducer;
        this.transactions = transactions;
        this.groupNextOffset = groupNextOffset;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        boolean discardable = batch.isControlBatch() ? transactions.onControlBatch(batch) : transactions.onDataBatch(batch);
        discardBatchRecords = discardable && (!batch.isControlBatch() || deleteHorizonPassed(batch));
        BatchRetention retention;
        if (batch.hasProducerId() && holdsLastRecordOfProducer(batch) || batch.nextOffset() == groupNextOffset) {
            retention = BatchRetention.RETAIN_EMPTY;
        } else if (discardBatchRecords) {
            retention = BatchRetention.DELETE;
        } else {
            retention = BatchRetention.DELETE_EMPTY;
        }
        return new BatchRetentionResult(retention, discardable && batch.isControlBatch());
    }

    private boolean deleteHorizonPassed(RecordBatch batch) {
        OptionalLong deleteHorizon = batch.deleteHorizonMs();
        return deleteHorizon.isPresent() && deleteHorizon.getAsLong() <= currentTime;
    }

    /** Kafka's rule: the producer's last data batch, or with no data cached, its control batches at its current epoch. */
    private boolean holdsLastRecordOfProducer(RecordBatch batch) {
        LastRecord last = lastRecordOfProducer.get(batch.producerId());
        if (last == null) {
            return false;
        }
        return last.hasDataOffset() ? batch.lastOffset() == last.lastDataOffset()
                : batch.isControlBatch() && batch.producerEpoch() == last.producerEpoch();
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
        if (discardBatchRecords) {
            return false;
        }
        if (batch.isControlBatch()) {
            return true;
        }
        if (record.offset() > map.latestOffset()) {
            return true;
        }
        if (!record.hasKey()) {
            keylessRecords++;
            return false;
        }
        if (record.offset() < map.get(record.key())) {
            return false;
        }
        OptionalLong deleteHorizon = batch.deleteHorizonMs();
        return record.hasValue() || deleteHorizon.isEmpty() || currentTime < deleteHorizon.getAsLong();
    }

    /** Records dropped because they had no key (written before the topic became compacted). */
    long keylessRecords() {
        return keylessRecords;
    }
}
