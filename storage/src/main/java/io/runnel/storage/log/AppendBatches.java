package io.runnel.storage.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.runnel.storage.producer.AppendOrigin;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * The record batches of one produce request, checked batch by batch through header flyweights
 * (records are decoded only on a compacted log, for their keys): magic v2, size within {@code max.message.bytes}, valid CRC, no
 * control batch unless the coordinator appends it, record count matching the offset delta, and on a compacted log a key on every record. Construction fails on the first bad
 * batch, so an invalid request is rejected before anything is written. Confined to the calling thread.
 */
final class AppendBatches {
    private final ByteBuffer buffer;
    private final List<MutableRecordBatch> batches;

    private AppendBatches(ByteBuffer buffer, List<MutableRecordBatch> batches) {
        this.buffer = buffer;
        this.batches = batches;
    }

    /**
     * Validates {@code request} (position to limit) from {@code origin} against the log's config at time
     * {@code now}. Only the {@link AppendOrigin#COORDINATOR} may write control batches (transaction markers).
     * A read-only buffer is copied, because offsets are assigned in place.
     */
    static AppendBatches validate(ByteBuffer request, LogConfig config, long now, AppendOrigin origin) {
        boolean controlAllowed = origin == AppendOrigin.COORDINATOR;
        return validate(request.isReadOnly() ? copy(request) : request.slice(),
                (batch, previous) -> check(batch, config, now, controlAllowed));
    }

    /**
     * Validates batches a leader numbered, for a follower to append as they are: magic v2, valid CRC,
     * a record count within the offset range (fewer records than offsets is a compacted batch), and
     * offsets increasing from batch to batch. Gaps between batches are allowed: they are records the
     * leader's cleaner removed. Whether the first batch starts at the log end is for the log to check.
     * Nothing is modified, so a read-only buffer is used as is. Confined to the calling thread.
     */
    static AppendBatches validateReplicated(ByteBuffer request) {
        return validate(request.slice(), AppendBatches::checkReplicated);
    }

    /** Checks one batch given the one before it in the request (null for the first). */
    @FunctionalInterface
    private interface BatchCheck {
        void check(MutableRecordBatch batch, MutableRecordBatch previous);
    }

    private static AppendBatches validate(ByteBuffer buffer, BatchCheck check) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        int validBytes = 0;
        try {
            MutableRecordBatch previous = null;
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(buffer).batches()) {
                check.check(batch, previous);
                batches.add(batch);
                validBytes += batch.sizeInBytes();
                previous = batch;
            }
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptRecordException("Unreadable record batch: " + e.getMessage());
        }
        if (batches.isEmpty()) {
            throw new InvalidRecordException("Produce request holds no record batch");
        }
        if (validBytes != buffer.remaining()) {
            throw new CorruptRecordException("Produce request has " + (buffer.remaining() - validBytes)
                    + " trailing bytes that are not a whole batch");
        }
        return new AppendBatches(buffer, batches);
    }

    List<MutableRecordBatch> batches() {
        return batches;
    }

    /** The bytes of batches [from, to), sharing memory with the batches (and so their assigned offsets). */
    MemoryRecords slice(int from, int to) {
        int start = 0;
        for (int i = 0; i < from; i++) {
            start += batches.get(i).sizeInBytes();
        }
        int length = 0;
        for (int i = from; i < to; i++) {
            length += batches.get(i).sizeInBytes();
        }
        return MemoryRecords.readableRecords(buffer.slice(buffer.position() + start, length));
    }

    int sizeInBytes() {
        return buffer.remaining();
    }

    private static void check(MutableRecordBatch batch, LogConfig config, long now, boolean controlAllowed) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new InvalidRecordException("Record batch magic " + batch.magic() + " is not supported; only v2 is");
        }
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new RecordTooLargeException("Record batch of " + batch.sizeInBytes()
                    + " bytes exceeds max.message.bytes " + config.maxMessageBytes());
        }
        if (!batch.isValid()) {
            throw new CorruptRecordException("Record batch with base offset " + batch.baseOffset() + " fails its CRC check");
        }
        if (batch.isControlBatch() && !controlAllowed) {
            throw new InvalidRecordException("Clients may not send control batches");
        }
        if (batch.isControlBatch() && !batch.hasProducerId()) {
            throw new InvalidRecordException("A transaction marker needs the producer id of its transaction");
        }
        Integer count = batch.countOrNull();
        long lastOffsetDelta = batch.lastOffset() - batch.baseOffset();
        if (count == null || count <= 0 || count != lastOffsetDelta + 1) {
            throw new InvalidRecordException("Record count " + count + " does not match last offset delta " + lastOffsetDelta);
        }
        // a marker carries no sequence: markers are ordered by epochs, not sequences
        if (batch.hasProducerId() && batch.baseSequence() < 0 && !batch.isControlBatch()) {
            throw new InvalidRecordException("Idempotent batch of producer " + batch.producerId() + " has no sequence");
        }
        if (batch.baseOffset() != 0) {
            // A producer's batch starts at offset 0; the broker assigns the real one (Kafka refuses others too).
            throw new InvalidRecordException("The base offset of a record batch should be 0, but it is " + batch.baseOffset());
        }
        config.timestamps().check(batch, now);
        if (config.compaction().compact()) {
            requireKeys(batch);
        }
    }

    private static void checkReplicated(MutableRecordBatch batch, MutableRecordBatch previous) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new InvalidRecordException("Record batch magic " + batch.magic() + " is not supported; only v2 is");
        }
        if (!batch.isValid()) {
            throw new CorruptRecordException("Record batch with base offset " + batch.baseOffset() + " fails its CRC check");
        }
        Integer count = batch.countOrNull();
        long lastOffsetDelta = batch.lastOffset() - batch.baseOffset();
        if (count == null || count < 0 || lastOffsetDelta < 0 || count > lastOffsetDelta + 1) {
            throw new InvalidRecordException("Record count " + count + " does not fit last offset delta " + lastOffsetDelta);
        }
        if (previous != null && batch.baseOffset() <= previous.lastOffset()) {
            throw new UnexpectedAppendOffsetException("Record batch at base offset " + batch.baseOffset()
                    + " overlaps the batch before it, which ends at " + previous.lastOffset(),
                    previous.lastOffset() + 1, batch.baseOffset());
        }
    }

    /**
     * A compacted log keeps the latest record per key, so a record without one is refused, as Kafka
     * does (this decodes the records: on compacted topics only).
     */
    private static void requireKeys(MutableRecordBatch batch) {
        List<Integer> keyless = null;
        try (CloseableIterator<Record> records = ((DefaultRecordBatch) batch).skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            for (int index = 0; records.hasNext(); index++) {
                if (!records.next().hasKey()) {
                    keyless = keyless == null ? new ArrayList<>() : keyless;
                    keyless.add(index);
                }
            }
        }
        if (keyless != null) {
            throw new KeylessRecordException(keyless);
        }
    }

    private static ByteBuffer copy(ByteBuffer readOnly) {
        ByteBuffer copy = ByteBuffer.allocate(readOnly.remaining());
        copy.put(readOnly.duplicate()).flip();
        return copy;
    }
}
