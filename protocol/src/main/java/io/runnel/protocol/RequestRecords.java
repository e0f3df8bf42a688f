package io.runnel.protocol;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ProduceRequest;

/** Access to the raw bytes of records carried in a request, without naming kafka-clients' internals elsewhere. */
public final class RequestRecords {

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
        if (records instanceof MemoryRecords memory) {
            try {
                for (RecordBatch batch : memory.batches()) {
                    if (batch.isTransactional()) {
                        return true;
                    }
                }
            } catch (RuntimeException unreadable) {
                // Malformed batches are refused, with the right error, when the log validates them.
                return false;
            }
        }
        return false;
    }
}
