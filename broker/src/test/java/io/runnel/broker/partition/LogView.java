package io.runnel.broker.partition;

import io.runnel.storage.log.FetchIsolation;
import io.runnel.storage.log.FetchSlice;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.producer.TxnMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

/**
 * What one replica's log holds, batch by batch, read from its files through {@link PartitionLog#read}
 * (up to the log end) as the checks need it: only what was appended since the last look is read, and
 * the last batch known is read again each time, so a truncation followed by appends is noticed. The
 * marks the checks keep ({@code *VerifiedTo}) fall back to the log end when the log is cut. Not
 * thread-safe.
 */
final class LogView {

    /**
     * One record batch as stored: offsets, the leader epoch it was written in, its CRC and its values
     * (none for a marker); for a transaction's batch or marker, its producer id and what it is.
     */
    record Batch(long baseOffset, long lastOffset, int leaderEpoch, long crc, List<String> values, long producerId, Kind kind) {

        boolean sameAs(Batch other) {
            return other != null && baseOffset == other.baseOffset && lastOffset == other.lastOffset && leaderEpoch == other.leaderEpoch
                    && crc == other.crc;
        }

        @Override
        public String toString() {
            return "[" + baseOffset + ".." + lastOffset + " e" + leaderEpoch + " crc " + Long.toHexString(crc) + " " + values + "]";
        }
    }

    /** What a batch is to transactions. */
    enum Kind { PLAIN, TRANSACTIONAL, COMMIT, ABORT }

    private static final int READ_BYTES = 1 << 20;

    final PartitionLog log;
    private final TreeMap<Long, Batch> batches = new TreeMap<>();
    private long end;
    /** Largest high watermark seen on this replica (this process). */
    long maxHighWatermark = -1;
    /** Batches below this offset were checked against the leaders' writes. */
    long provenanceVerifiedTo;
    /** Batches below this offset were checked against the committed log. */
    long committedVerifiedTo;
    /** The acknowledged writes below this offset were found here. */
    long ackedVerifiedTo;

    LogView(PartitionLog log) {
        this.log = log;
    }

    /** The log end as of the last {@link #refresh}. */
    long end() {
        return end;
    }

    NavigableMap<Long, Batch> batches() {
        return batches;
    }

    Batch batchAt(long baseOffset) {
        return batches.get(baseOffset);
    }

    /** The batch holding {@code offset}, if any. */
    Batch batchHolding(long offset) {
        Map.Entry<Long, Batch> floor = batches.floorEntry(offset);
        return floor != null && floor.getValue().lastOffset() >= offset ? floor.getValue() : null;
    }

    /** Reads what changed since the last look; returns the batches read (those appended since, and the last one known before). */
    List<Batch> refresh() {
        long logEnd = log.logEndOffset();
        long from = batches.isEmpty() ? log.logStartOffset() : batches.lastKey();
        if (logEnd < end || logEnd < from) {
            from = Math.min(from, logEnd);
        }
        cutTo(from);
        List<Batch> added = new ArrayList<>();
        long position = from;
        while (position < logEnd) {
            FetchSlice slice = log.read(position, READ_BYTES, true, FetchIsolation.LOG_END);
            if (slice.isEmpty()) {
                break;
            }
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
            buffer.flip();
            long next = position;
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(buffer).batches()) {
                if (batch.lastOffset() < position) {
                    continue;
                }
                Batch read = new Batch(batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch(), batch.checksum(), values(batch),
                        batch.producerId(), kind(batch));
                batches.put(read.baseOffset(), read);
                added.add(read);
                next = batch.lastOffset() + 1;
            }
            if (next == position) {
                break;
            }
            position = next;
        }
        end = logEnd;
        return added;
    }

    /** Forgets batches from {@code offset} on (the log was cut there), and the checks' marks above it. */
    void cutTo(long offset) {
        batches.tailMap(offset, true).clear();
        end = Math.min(end, offset);
        provenanceVerifiedTo = Math.min(provenanceVerifiedTo, offset);
        committedVerifiedTo = Math.min(committedVerifiedTo, offset);
        ackedVerifiedTo = Math.min(ackedVerifiedTo, offset);
    }

    private static Kind kind(MutableRecordBatch batch) {
        if (batch.isControlBatch()) {
            return TxnMarker.of(batch).commit() ? Kind.COMMIT : Kind.ABORT;
        }
        return batch.isTransactional() ? Kind.TRANSACTIONAL : Kind.PLAIN;
    }

    private static List<String> values(MutableRecordBatch batch) {
        if (batch.isControlBatch()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Record record : batch) {
            ByteBuffer value = record.value();
            values.add(value == null ? null : StandardCharsets.UTF_8.decode(value).toString());
        }
        return values;
    }
}
