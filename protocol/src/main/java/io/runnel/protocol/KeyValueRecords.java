package io.runnel.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Record batches of plain key/value records, as a broker writes them to its own internal topics
 * ({@code __consumer_offsets}) and reads them back, transaction markers included, without naming
 * kafka-clients' record internals elsewhere. Stateless.
 */
public final class KeyValueRecords {

    /** One record: a key and a value (null for a tombstone). */
    public record KeyValue(byte[] key, byte[] value) { }

    /**
     * What a batch's header says of the producer that wrote its records: a producer id of -1 (and
     * epoch -1) for a writer that is neither idempotent nor transactional.
     */
    public record BatchHeader(long producerId, short producerEpoch, boolean transactional) { }

    /** Receives the records of a run of batches, in offset order, each with its batch's header. */
    public interface BatchVisitor {

        /** A data record at {@code offset}: its key and value (null for a tombstone), as read-only views. */
        void onRecord(BatchHeader batch, long offset, ByteBuffer key, ByteBuffer value);

        /**
         * A transaction marker at {@code offset}: the batch's producer committed or aborted its open
         * transaction, as the transaction coordinator of {@code coordinatorEpoch} decided.
         */
        void onMarker(BatchHeader batch, long offset, boolean commit, int coordinatorEpoch);
    }

    private KeyValueRecords() {
    }

    /** One uncompressed, non-idempotent magic-v2 batch holding {@code records}, stamped {@code timestampMs}. */
    public static ByteBuffer batch(long timestampMs, List<KeyValue> records) {
        return MemoryRecords.withRecords(Compression.NONE, simple(timestampMs, records)).buffer();
    }

    /**
     * One uncompressed transactional magic-v2 batch of {@code producerId} at {@code producerEpoch},
     * base sequence 0 (as Kafka's coordinator runtime writes a transactional offset commit).
     */
    public static ByteBuffer transactionalBatch(long timestampMs, long producerId, short producerEpoch, List<KeyValue> records) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, producerEpoch, 0, simple(timestampMs, records)).buffer();
    }

    /** The control batch holding the COMMIT or ABORT marker of {@code producerId}'s transaction, by kafka-clients' layout. */
    public static ByteBuffer marker(long timestampMs, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch);
        return MemoryRecords.withEndTransactionMarker(timestampMs, producerId, producerEpoch, marker).buffer();
    }

    private static SimpleRecord[] simple(long timestampMs, List<KeyValue> records) {
        return records.stream().map(r -> new SimpleRecord(timestampMs, r.key(), r.value())).toArray(SimpleRecord[]::new);
    }

    /**
     * Visits every record of the batches in {@code batches}, in offset order: the records of data
     * batches (transactional or not) and the markers of control batches. Control records of other
     * kinds (KRaft's) are skipped: they are never written to a coordinator's topic. A truncated final
     * batch is ignored (it is the part of a read cut at a byte limit).
     *
     * @return the offset after the last batch visited, or -1 if there was none
     */
    public static long forEach(ByteBuffer batches, BatchVisitor visitor) {
        long nextOffset = -1;
        for (RecordBatch batch : MemoryRecords.readableRecords(batches.slice()).batches()) {
            BatchHeader header = new BatchHeader(batch.producerId(), batch.producerEpoch(), batch.isTransactional());
            for (Record record : batch) {
                if (!batch.isControlBatch()) {
                    visitor.onRecord(header, record.offset(), record.key(), record.hasValue() ? record.value() : null);
                } else if (isMarker(record)) {
                    EndTransactionMarker marker = EndTransactionMarker.deserialize(record);
                    visitor.onMarker(header, record.offset(), marker.controlType() == ControlRecordType.COMMIT, marker.coordinatorEpoch());
                }
            }
            nextOffset = batch.nextOffset();
        }
        return nextOffset;
    }

    private static boolean isMarker(Record record) {
        ControlRecordType type = ControlRecordType.parse(record.key());
        return type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT;
    }
}
