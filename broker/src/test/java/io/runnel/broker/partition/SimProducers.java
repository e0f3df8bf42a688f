package io.runnel.broker.partition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Producers with acks=all: each write is one small batch of values never written before, as a
 * producer's request carries it (offsets from 0, no leader epoch). A write is sent once, never retried,
 * so a value found twice, or at another offset than the one acknowledged, is the broker's doing. Some
 * writes are transactions of a producer id of their own, one batch each, which a coordinator closes
 * later with a marker ({@link #marker}). Not thread-safe.
 */
final class SimProducers {

    /** The first producer id of the transactional writes. */
    private static final long FIRST_PRODUCER_ID = 1_000;

    /**
     * One produce request for one partition, or one coordinator's marker.
     *
     * @param producerId the transaction's producer id, or -1 for a plain write
     * @param marker whether it is a marker (a control batch, whose record has no value to check)
     */
    record Write(int partition, List<String> values, ByteBuffer request, long producerId, boolean marker) {

        /** The batch as the handler gets it (a copy: the append assigns offsets in place). */
        ByteBuffer batch() {
            ByteBuffer copy = ByteBuffer.allocate(request.remaining());
            copy.put(request.duplicate());
            return copy.flip();
        }

        boolean transactional() {
            return producerId >= 0 && !marker;
        }
    }

    private long next;
    private long nextProducerId = FIRST_PRODUCER_ID;

    /** A write of {@code count} new values to {@code partition}, stamped {@code timestampMs}. */
    Write write(int partition, int count, long timestampMs) {
        List<String> values = values(partition, count);
        return new Write(partition, values, MemoryRecords.withRecords(Compression.NONE, records(values, timestampMs)).buffer(), -1, false);
    }

    /** A transaction of a new producer id: one batch of {@code count} new values, epoch 0, sequence 0. */
    Write transactional(int partition, int count, long timestampMs) {
        long producerId = nextProducerId++;
        List<String> values = values(partition, count);
        return new Write(partition, values, MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, 0,
                records(values, timestampMs)).buffer(), producerId, false);
    }

    /** The marker closing {@code transaction}, written by a coordinator at epoch 0. */
    static Write marker(Write transaction, boolean commit, long timestampMs) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0);
        return new Write(transaction.partition(), List.of(), MemoryRecords.withEndTransactionMarker(timestampMs, transaction.producerId(), (short) 0,
                marker).buffer(), transaction.producerId(), true);
    }

    private List<String> values(int partition, int count) {
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add("p" + partition + "-" + next++);
        }
        return List.copyOf(values);
    }

    private static SimpleRecord[] records(List<String> values, long timestampMs) {
        SimpleRecord[] records = new SimpleRecord[values.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(timestampMs, null, values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
