package io.runnel.storage.cleaner;

import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Which records and batches of a segment group survive cleaning (Kafka's semantics):
 * <ul>
 *   <li>a record past the offset map's reach is kept (it was not deduplicated this round);</li>
 *   <li>otherwise a record is kept only if it is the latest of its key; a record without a key goes;</li>
 *   <li>a tombstone (null value) stays until the delete horizon its batch got when first cleaned
 *       ({@code delete.retention.ms} later, set by {@link MemoryRecords#filterTo}) has passed;</li>
 *   <li>a batch that loses all its records goes, except the last batch of each idempotent producer
 *       (its sequence numbers must survive) and the last batch of the group (so a crash-time swap
 *       covers every replaced segment): those stay as empty batches, which clients skip.</li>
 * </ul>
 * Single-threaded: one per segment group.
 */
final class CleanerFilter extends MemoryRecords.RecordFilter {
    private final OffsetMap map;
    private final Map<Long, Long> lastBatchOfProducer;
    private final long groupNextOffset;
    private long keylessRecords;

    CleanerFilter(long now, long deleteRetentionMs, OffsetMap map, Map<Long, Long> lastBatchOfProducer, long groupNextOffset) {
        super(now, deleteRetentionMs);
        this.map = map;
        this.lastBatchOfProducer = lastBatchOfProducer;
        this.groupNextOffset = groupNextOffset;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        boolean lastOfProducer = batch.hasProducerId()
                && Long.valueOf(batch.lastOffset()).equals(lastBatchOfProducer.get(batch.producerId()));
        boolean lastOfGroup = batch.nextOffset() == groupNextOffset;
        return new BatchRetentionResult(lastOfProducer || lastOfGroup ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY,
                false);
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
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
