package io.runnel.broker.partition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Producers with acks=all: each write is one small batch of values never written before, as a
 * producer's request carries it (offsets from 0, no leader epoch). A write is sent once, never retried,
 * so a value found twice, or at another offset than the one acknowledged, is the broker's doing. Not
 * thread-safe.
 */
final class SimProducers {

    /** One produce request for one partition. */
    record Write(int partition, List<String> values, ByteBuffer request) {

        /** The batch as the handler gets it (a copy: the append assigns offsets in place). */
        ByteBuffer batch() {
            ByteBuffer copy = ByteBuffer.allocate(request.remaining());
            copy.put(request.duplicate());
            return copy.flip();
        }
    }

    private long next;

    /** A write of {@code count} new values to {@code partition}, stamped {@code timestampMs}. */
    Write write(int partition, int count, long timestampMs) {
        List<String> values = new ArrayList<>(count);
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            String value = "p" + partition + "-" + next++;
            values.add(value);
            records[i] = new SimpleRecord(timestampMs, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return new Write(partition, List.copyOf(values), MemoryRecords.withRecords(Compression.NONE, records).buffer());
    }
}
