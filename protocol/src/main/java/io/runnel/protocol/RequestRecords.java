package io.runnel.protocol;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.ProduceRequest;

/**
 * Access to the raw bytes of records carried in a request, without naming kafka-clients' internals
 * elsewhere. The transactional checks read batch headers in place, with absolute reads: every
 * transactional produce request is looked at twice before its append, and iterating kafka-clients'
 * batch objects for that allocated an iterator, a stream and a buffer slice per batch. Stateless; any thread.
 */
public final class RequestRecords {

    /**
     * The v2 batch header (Kafka's {@code DefaultRecordBatch}), as offsets from a batch's first byte:
     *
     * <pre>
     *  0 baseOffset int64 | 8 length int32 | 12 partitionLeaderEpoch int32 | 16 magic int8 | 17 crc uint32
     * 21 attributes int16 | 23 lastOffsetDelta int32 | 27 baseTimestamp int64 | 35 maxTimestamp int64
     * 43 producerId int64 | 51 producerEpoch int16 | 53 baseSequence int32 | 57 recordCount int32 | 61 records
     * </pre>
     */
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int PRODUCER_ID_OFFSET = 43;
    private static final int PRODUCER_EPOCH_OFFSET = 51;
    private static final int BASE_SEQUENCE_OFFSET = 53;
    private static final short TRANSACTIONAL_FLAG = 0x10;
    /** A batch length below this is corrupt (Kafka's {@code LegacyRecord.RECORD_OVERHEAD_V0}, the smallest overhead of any magic). */
    private static final int SMALLEST_BATCH_LENGTH = 14;

    /** No batch found, or the records could not be read. */
    public static final int NO_BATCH = -1;

    private RequestRecords() {
    }

    /**
     * The bytes of the record batches a produce request carries, as a view over the request frame
     * (no copy). Empty when the request carried no records.
     */
    public static ByteBuffer buffer(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            return memory.buffer();
        }
        if (records == null) {
            return ByteBuffer.allocate(0);
        }
        throw new IllegalArgumentException("request records of type " + records.getClass().getSimpleName());
    }

    /**
     * Kafka's check of a partition's records in a Produce request of {@code version} (3+), before any
     * append or verification: one batch, of magic v2, not ZSTD below v7. Reads batch headers only.
     *
     * @throws org.apache.kafka.common.InvalidRecordException none, or more than one batch, or another magic
     * @throws org.apache.kafka.common.errors.UnsupportedCompressionTypeException ZSTD below v7
     */
    public static void checkProduced(short version, BaseRecords records) {
        ProduceRequest.validateRecords(version, records);
    }

    /** Whether any batch is part of a transaction (reads batch headers only; records are not decoded). */
    public static boolean hasTransactionalBatch(BaseRecords records) {
        return records instanceof MemoryRecords memory && firstTransactionalBatch(memory.buffer(), false) != NO_BATCH;
    }

    /**
     * Where in {@code batches} (absolute position) the first transactional batch with a producer id
     * starts, or {@link #NO_BATCH}. As with kafka-clients' batch iteration, a truncated batch ends the
     * walk and a corrupt length or magic makes the records unreadable (no batch): the log refuses those,
     * with the right error, when it validates the append.
     */
    public static int firstTransactionalBatchWithProducerId(ByteBuffer batches) {
        return firstTransactionalBatch(batches, true);
    }

    private static int firstTransactionalBatch(ByteBuffer batches, boolean needsProducerId) {
        int position = batches.position();
        int end = batches.limit();
        while (end - position >= Records.LOG_OVERHEAD) {
            int length = batches.getInt(position + Records.SIZE_OFFSET);
            if (length < SMALLEST_BATCH_LENGTH) {
                return NO_BATCH;
            }
            if (end - position < Records.HEADER_SIZE_UP_TO_MAGIC || length > end - position - Records.LOG_OVERHEAD) {
                return NO_BATCH;
            }
            byte magic = batches.get(position + Records.MAGIC_OFFSET);
            if (magic < RecordBatch.MAGIC_VALUE_V0 || magic > RecordBatch.MAGIC_VALUE_V2) {
                return NO_BATCH;
            }
            if (magic == RecordBatch.MAGIC_VALUE_V2 && isTransactional(batches, position, length, needsProducerId)) {
                return position;
            }
            position += Records.LOG_OVERHEAD + length;
        }
        return NO_BATCH;
    }

    /** Whether the v2 batch at {@code position} is transactional (and has a producer id, if asked); false if its header is cut short. */
    private static boolean isTransactional(ByteBuffer batches, int position, int length, boolean needsProducerId) {
        if (Records.LOG_OVERHEAD + length < DefaultRecordBatch.RECORD_BATCH_OVERHEAD) {
            return false;
        }
        boolean transactional = (batches.getShort(position + ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG) != 0;
        return transactional && (!needsProducerId || producerId(batches, position) != RecordBatch.NO_PRODUCER_ID);
    }

    /** The producer id of the v2 batch at {@code position}. */
    public static long producerId(ByteBuffer batches, int position) {
        return batches.getLong(position + PRODUCER_ID_OFFSET);
    }

    /** The producer epoch of the v2 batch at {@code position}. */
    public static short producerEpoch(ByteBuffer batches, int position) {
        return batches.getShort(position + PRODUCER_EPOCH_OFFSET);
    }

    /** The first sequence number of the v2 batch at {@code position}. */
    public static int baseSequence(ByteBuffer batches, int position) {
        return batches.getInt(position + BASE_SEQUENCE_OFFSET);
    }
}
