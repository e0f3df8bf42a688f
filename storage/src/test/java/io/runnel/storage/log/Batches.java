package io.runnel.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Builds produce-request batches and decodes fetch slices for tests. */
final class Batches {
    private static final long T0 = 1_700_000_000_000L;

    private Batches() {
    }

    static ByteBuffer plain(long timestamp, String... values) {
        return MemoryRecords.withRecords(Compression.NONE, records(timestamp, values)).buffer();
    }

    static ByteBuffer gzip(long timestamp, String... values) {
        return MemoryRecords.withRecords(Compression.gzip().build(), records(timestamp, values)).buffer();
    }

    static ByteBuffer idempotent(long producerId, short epoch, int baseSequence, long timestamp, String... values) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence,
                records(timestamp, values)).buffer();
    }

    static ByteBuffer transactional(long producerId, short epoch, int baseSequence, long timestamp, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, baseSequence,
                records(timestamp, values)).buffer();
    }

    /** One transactional batch of one keyed record. */
    static ByteBuffer keyedTransactional(long producerId, short epoch, int sequence, long timestamp, String key, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence,
                keyedRecord(timestamp, key, value)).buffer();
    }

    /** A COMMIT or ABORT control batch at the producer's {@code epoch}, as a coordinator of {@code coordinatorEpoch} writes it. */
    static ByteBuffer marker(long producerId, short epoch, boolean commit, int coordinatorEpoch) {
        return replicatedMarker(0, 0, producerId, epoch, commit, coordinatorEpoch);
    }

    /** A marker as a leader numbered it. */
    static ByteBuffer replicatedMarker(long offset, int leaderEpoch, long producerId, short epoch, boolean commit,
            int coordinatorEpoch) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                coordinatorEpoch);
        return MemoryRecords.withEndTransactionMarker(offset, T0, leaderEpoch, producerId, epoch, marker).buffer();
    }

    /** One transactional batch as a leader numbered it. */
    static ByteBuffer replicatedTransactional(long baseOffset, int leaderEpoch, long producerId, short epoch, int baseSequence,
            String... values) {
        return MemoryRecords.withTransactionalRecords(baseOffset, Compression.NONE, producerId, epoch, baseSequence,
                leaderEpoch, records(T0, values)).buffer();
    }

    /** One batch as a leader numbered it: from {@code baseOffset}, in partition leader epoch {@code leaderEpoch}. */
    static ByteBuffer replicated(long baseOffset, int leaderEpoch, String... values) {
        return MemoryRecords.withRecords(baseOffset, Compression.NONE, leaderEpoch, records(T0, values)).buffer();
    }

    /** One idempotent batch as a leader numbered it. */
    static ByteBuffer replicatedIdempotent(long baseOffset, int leaderEpoch, long producerId, short epoch, int baseSequence,
            String... values) {
        return MemoryRecords.withIdempotentRecords(baseOffset, Compression.NONE, producerId, epoch, baseSequence, leaderEpoch,
                records(T0, values)).buffer();
    }

    /** One batch of one keyed record; a null value is a tombstone. */
    static ByteBuffer keyed(long timestamp, String key, String value) {
        return MemoryRecords.withRecords(Compression.NONE, keyedRecord(timestamp, key, value)).buffer();
    }

    /** One idempotent batch of one keyed record. */
    static ByteBuffer keyedIdempotent(long producerId, short epoch, int sequence, long timestamp, String key, String value) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, sequence,
                keyedRecord(timestamp, key, value)).buffer();
    }

    private static SimpleRecord keyedRecord(long timestamp, String key, String value) {
        return new SimpleRecord(timestamp, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Several batches concatenated in one request buffer. */
    static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    static SimpleRecord[] records(long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestamp, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }

    static List<RecordBatch> batches(FetchSlice slice) {
        List<RecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableRecords(bytes(slice)).batches().forEach(batches::add);
        return batches;
    }

    static List<Long> offsets(FetchSlice slice) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : batches(slice)) {
            for (Record record : batch) {
                offsets.add(record.offset());
            }
        }
        return offsets;
    }

    static List<String> values(FetchSlice slice) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : batches(slice)) {
            for (Record record : batch) {
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }

    static ByteBuffer bytes(FetchSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        try {
            while (buffer.hasRemaining()) {
                if (slice.channel().read(buffer, slice.position() + buffer.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.flip();
    }
}
