package io.runnel.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Record batches of plain key/value records, as a broker writes them to its own internal topics
 * ({@code __consumer_offsets}), without naming kafka-clients' record internals elsewhere. Stateless.
 */
public final class KeyValueRecords {

    /** One record: a key and a value (null for a tombstone). */
    public record KeyValue(byte[] key, byte[] value) { }

    /** Receives each record's key and value (null for a tombstone) as read-only views. */
    @FunctionalInterface
    public interface Visitor {
        void accept(ByteBuffer key, ByteBuffer value);
    }

    private KeyValueRecords() {
    }

    /** One uncompressed, non-idempotent magic-v2 batch holding {@code records}, stamped {@code timestampMs}. */
    public static ByteBuffer batch(long timestampMs, List<KeyValue> records) {
        SimpleRecord[] simple = records.stream().map(r -> new SimpleRecord(timestampMs, r.key(), r.value())).toArray(SimpleRecord[]::new);
        return MemoryRecords.withRecords(Compression.NONE, simple).buffer();
    }

    /**
     * Visits every record of the batches in {@code batches}, in offset order, skipping control
     * batches; a truncated final batch is ignored (it is the part of a read cut at a byte limit).
     *
     * @return the offset after the last record visited, or -1 if there was none
     */
    public static long forEach(ByteBuffer batches, Visitor visitor) {
        long nextOffset = -1;
        for (RecordBatch batch : MemoryRecords.readableRecords(batches.slice()).batches()) {
            if (!batch.isControlBatch()) {
                for (Record record : batch) {
                    visitor.accept(record.key(), record.hasValue() ? record.value() : null);
                }
            }
            nextOffset = batch.nextOffset();
        }
        return nextOffset;
    }
}
